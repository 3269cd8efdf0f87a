"""Member management (党员管理, DB3212/T 1124 §6.3) with formal affiliation recorded per §5.1.

`MemberProfile` holds one party member's record: the platform organisation where they take part, their
category and dates, personal details, the encrypted citizen ID number and the dues category used by the
`dues` app. `ProfileCorrection` is a member's request to correct their own record, confirmed by an officer
of their organisation.
"""
