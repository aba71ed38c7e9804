"""Every state change of child protection: one function per action, one transaction each,
the audit record written inside it.

One module per domain: registry (register, update facts, review categories, the daily age
sweep), guardianship (delegated-guardianship confirmations), visits (a needs finding opens
a referral or an application in the single window), support (orphan support records),
exports (audited exports) and hotline (12345 minors' hotline cases); access says who may,
common holds the helpers they share.
"""
