"""Guiding questions and live polls: one class per question type, answers, results."""
