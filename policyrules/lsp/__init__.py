"""The policy language server (`policyrules lsp`, the optional extra `lsp`).

`analysis`, `index`, `hover` and `completion` are plain Python, usable without the extra;
`server` wires them to pygls. See docs/editors.md.
"""

from __future__ import annotations

import argparse
import sys

from policyrules.diagnostics.messages import t


def run(args: argparse.Namespace) -> int:
    """`policyrules lsp`: serve one editor over standard input and output until it exits."""
    try:
        from policyrules.lsp.server import build_server
    except ImportError:
        print(f"policyrules: {t(args.lang, 'error')}: "
              + t(args.lang, "the language server needs the optional extra:"
                  " pip install 'policyrules[lsp]'"), file=sys.stderr)
        return 2
    # the language only when asked for on the command line; else the editor's locale decides
    given = any(arg == "--lang" or arg.startswith("--lang=") for arg in sys.argv[1:])
    asked = args.lang if given else None
    build_server(asked).start_io()
    return 0
