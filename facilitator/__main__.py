"""The `facilitator` command. The only module that monkey-patches, and it does so first."""

import os
import sys
import warnings

# Eventlet warns on import that it is in bug-fix mode; DESIGN.md knows, and gevent
# is one setting away. Said once here, not on every command a moderator types.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


def _async_mode_from_argv(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg.startswith("--async-mode="):
            return arg.split("=", 1)[1]
        if arg == "--async-mode" and index + 1 < len(argv):
            return argv[index + 1]
    return os.environ.get("FACILITATOR_ASYNC_MODE", "eventlet")


# Patch the standard library before anything imports socket or threading, and
# only for the server: `check` or `dump` have no use for green threads.
if len(sys.argv) > 1 and sys.argv[1] == "serve":
    _mode = _async_mode_from_argv(sys.argv)
    if _mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()
    elif _mode == "gevent":
        import gevent
        from gevent import monkey

        # gevent keeps every green thread's spawning stack for debugging: a few KiB
        # for each of the thousand phones' connections, for nothing in production.
        gevent.config.track_greenlet_tree = False
        monkey.patch_all()

from facilitator.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
