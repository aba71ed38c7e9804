"""Every state change of the single window: one function per action, one transaction
each, the audit record written inside it.

One module per domain: applications (register a request, move it through the declared
state machine), notices (the public notice and its objections), temporary (temporary
assistance), attachments (documents) and referrals (a case sent to a partner department
and followed to an answer); common holds the helpers they share.
"""
