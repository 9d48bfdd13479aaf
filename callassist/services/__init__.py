"""Services: one public function per user action, each given the session to work in.

The facade in :mod:`callassist.core` opens one transaction per call; the
functions here never commit, so several can make up one action.
"""
