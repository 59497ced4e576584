"""Breakout groups on guideline blocks: forming groups, their live boards, report-back."""
