#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Python bindings' pytest suite, with the module built in this tree
# (bindings/python/stage) and the interpreter configure chose.  Skips
# (exit 77, visibly) when the bindings are disabled or pytest is missing.
top_srcdir=${top_srcdir:-$(dirname "$0")/../..}
top_builddir=${top_builddir:-.}
if [ "${HAVE_PYTHON:-no}" != yes ]; then
  echo "SKIP: Python bindings not built (configure --enable-python; needs python3-dev)"
  exit 77
fi
if ! "$PYTHON" -c 'import pytest' 2>/dev/null; then
  echo "SKIP: $PYTHON has no pytest (apt-get install python3-pytest)"
  exit 77
fi
PYTHONPATH="$top_builddir/bindings/python/stage${PYTHONPATH:+:$PYTHONPATH}"
LD_LIBRARY_PATH="$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Nothing written into the (read-only under distcheck) source tree.
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH LD_LIBRARY_PATH PYTHONDONTWRITEBYTECODE
exec "$PYTHON" -m pytest -p no:cacheprovider -q -rs \
  "$top_srcdir/bindings/python/tests" "$@"
