"""Activities and organisation life (活动邀约, DB3212/T 1124 §6.3; registration by the guides, §5.5; 活动共办 in
alliances, §5.2; organisation life, §7.3): activities organised by one or more party organisations,
registration with a waiting list whose freed seats are offered for a set time, leave requests (请假),
monthly themes, annual plans, records (台账), and the compliance engine over the national branch rules
(中国共产党支部工作条例（试行）) and §7.3, kept as versioned data.
"""
