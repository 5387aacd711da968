"""Everything that speaks SQL: the SQLite store, its migrations, transactions and queries.

Nothing outside this package touches SQL.
"""
