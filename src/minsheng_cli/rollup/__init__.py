"""A prefecture's or province's rollup of county ledgers, each read from git (issue 15).

``config`` reads rollup.yaml (the members), ``state`` what the last sync read of each member;
``sync`` fetches the members' repositories into mirrors; ``members`` builds a member's ledger at
the commit the state names; ``views`` computes the rows the commands print.
"""
