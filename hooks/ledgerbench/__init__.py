"""The benchmark (``ledger.py bench``) and the synthetic ledgers it builds.

Kept out of ``ledgerlib``: nothing a site build or a clerk's command needs
lives here, only what measures them.
"""
