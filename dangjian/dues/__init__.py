"""Party-dues collection (党费收缴, DB3212/T 1124 §6.3; dues as a funding source, §8) by the 2008 national
rule 《关于中国共产党党费收缴、使用和管理的规定》: rules as versioned data, income-base declarations, monthly
sheets per organisation, payments recorded by the treasurer or made online through a payment provider,
arrears, reminders, reports and the member's own history and receipts. See docs/dues.md.
"""
