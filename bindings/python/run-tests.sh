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
# In a sanitizer build (.ci/run's clang ASan + UBSan) the module is
# instrumented but the interpreter is not: the runtime must be loaded
# first.  CPython keeps memory to the end by design, so leak checking is
# off for the interpreter; the library's leaks are caught by the C tests.
so=$(ls "$top_builddir"/bindings/python/stage/mountdb/_mountdb*.so 2>/dev/null | head -n 1)
if [ -n "$so" ] && grep -q __asan_init "$so"; then
  case ${CC:-cc} in
    *clang*) rt=$(${CC} -print-file-name="libclang_rt.asan-$(uname -m).so") ;;
    *) rt=$(${CC:-cc} -print-file-name=libasan.so) ;;
  esac
  if [ ! -f "$rt" ]; then
    echo "SKIP: the module is built with ASan but its runtime ($rt) is not found"
    exit 77
  fi
  LD_PRELOAD="$rt${LD_PRELOAD:+:$LD_PRELOAD}"
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  MOUNTDB_SANITIZED=1
  export LD_PRELOAD ASAN_OPTIONS MOUNTDB_SANITIZED
fi
PYTHONPATH="$top_builddir/bindings/python/stage${PYTHONPATH:+:$PYTHONPATH}"
LD_LIBRARY_PATH="$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Nothing written into the (read-only under distcheck) source tree.
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH LD_LIBRARY_PATH PYTHONDONTWRITEBYTECODE
exec "$PYTHON" -m pytest -p no:cacheprovider -q -rs \
  "$top_srcdir/bindings/python/tests" "$@"
