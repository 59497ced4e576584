"""Tests of accounts, roles and invitation links."""
