# SPDX-License-Identifier: LGPL-2.1-or-later
"""Build the mountdb package against an installed libmountdb:

    pip install --no-build-isolation ./bindings/python

with Debian's python3-setuptools and python3-dev (no download).  The
compiler and linker flags come from `pkg-config libmountdb` (set
PKG_CONFIG_PATH for a prefix other than /usr or /usr/local).  `make
install` of the source tree installs the same package without pip."""
import shlex
import subprocess

from setuptools import Extension, setup


def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args, "libmountdb"],
                             check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return shlex.split(out)


def version():
    v = pkg_config("--modversion")
    return v[0] if v else "0.1.0"


cflags = pkg_config("--cflags") or []
libs = pkg_config("--libs")
if libs is None:
    libs = ["-lmountdb"]  # no pkg-config file: the default search path

ext = Extension(
    "mountdb._mountdb",
    sources=["module.c", "hive.c", "model.c", "txn.c", "disks.c",
             "devices.c"],
    depends=["_mountdb.h"],
    include_dirs=[f[2:] for f in cflags if f.startswith("-I")],
    extra_compile_args=[f for f in cflags if not f.startswith("-I")]
    + ["-fvisibility=hidden"],
    library_dirs=[f[2:] for f in libs if f.startswith("-L")],
    libraries=[f[2:] for f in libs if f.startswith("-l")],
    runtime_library_dirs=[f[2:] for f in libs if f.startswith("-L")],
)

setup(
    name="mountdb",
    version=version(),
    description="The Windows mount manager's database (MountedDevices) in "
                "offline registry hives: read, check, edit (libmountdb)",
    license="LGPL-2.1-or-later",
    packages=["mountdb"],
    package_data={"mountdb": ["__init__.pyi", "py.typed"]},
    ext_modules=[ext],
    python_requires=">=3.10",
)
