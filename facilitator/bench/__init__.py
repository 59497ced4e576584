"""Tooling, not product: `facilitator bench`, its simulated phones, the do-nothing floor server,
and the child-server helper the benchmark and the real-server tests share."""
