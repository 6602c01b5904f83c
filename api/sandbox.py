"""Shut a process (or a thread) off from the network: a seccomp filter, Linux only.

SPARQL's SERVICE and LOAD make pyoxigraph open an HTTP connection. The query
workers, and the thread that runs updates, install a seccomp filter on
themselves that refuses to create any socket but a Unix one (and refuses
io_uring, which could open sockets around the filter), so that no query text,
however spelled, can reach the network from them. A filter applies to the
thread that installs it and to the threads and processes it starts later; it
cannot be removed.

>>> import threading
>>> out = []
>>> t = threading.Thread(target=lambda: out.append(seal() and _can_open_inet()))
>>> t.start(); t.join()
>>> out == [False] or not available()
True
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct
import sys

# seccomp_data: int nr (offset 0), u32 arch (offset 4), u64 ip, u64 args[6] (offset 16)
_ARCHES = {  # machine: (AUDIT_ARCH, __NR_socket, __NR_io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def available() -> bool:
    """Whether this system can seal (Linux on x86-64 or ARM64)."""
    return sys.platform == "linux" and platform.machine() in _ARCHES


def _program() -> bytes:
    arch, nr_socket, nr_uring = _ARCHES[platform.machine()]
    deny = _ERRNO | errno.EACCES
    code = [
        (_LD_W_ABS, 0, 0, 4),  # 0 A = arch
        (_JEQ_K, 1, 0, arch),  # 1 a foreign calling convention: refuse everything
        (_RET_K, 0, 0, deny),  # 2
        (_LD_W_ABS, 0, 0, 0),  # 3 A = syscall number
        (_JGE_K, 0, 1, 0x40000000),  # 4 x32 numbers (x86-64): refuse
        (_RET_K, 0, 0, deny),  # 5
        (_JEQ_K, 0, 1, nr_uring),  # 6
        (_RET_K, 0, 0, deny),  # 7
        (_JEQ_K, 0, 3, nr_socket),  # 8 not socket(): allow
        (_LD_W_ABS, 0, 0, 16),  # 9 A = domain
        (_JEQ_K, 1, 0, socket.AF_UNIX),  # 10
        (_RET_K, 0, 0, deny),  # 11 socket() of any other domain
        (_RET_K, 0, 0, _ALLOW),  # 12
    ]
    return b"".join(struct.pack("HBBI", *insn) for insn in code)


def seal() -> bool:
    """Refuse network sockets to the calling thread and what it starts; False if not possible.

    >>> isinstance(available(), bool)
    True
    """
    if not available():
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    program = _program()
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("HxxxxxxQ", len(program) // 8, ctypes.addressof(buffer))
    fbuf = ctypes.create_string_buffer(fprog, len(fprog))
    libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fbuf), 0, 0) == 0


def _can_open_inet() -> bool:
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError:
        return False
    return True


#: The default address-space limit of a query worker, in MB (GEOKG_WORKER_MEMORY_MB; 0: none).
WORKER_MEMORY_MB = 1536


def worker_memory_mb() -> int:
    """The address-space limit of a query worker in MB (GEOKG_WORKER_MEMORY_MB; 0: none)."""
    return int(os.environ.get("GEOKG_WORKER_MEMORY_MB") or WORKER_MEMORY_MB)


def limit_memory(megabytes: int | None = None) -> int:
    """Let this process's address space grow by at most ``megabytes`` from now (default:
    GEOKG_WORKER_MEMORY_MB or :data:`WORKER_MEMORY_MB`); return that figure (0: no cap).
    Counted from the size at the call, so that a machine's many threads (stacks, malloc
    arenas) do not eat the allowance: a query past it fails, or ends its worker, never the
    server.
    """
    import resource

    if megabytes is None:
        megabytes = worker_memory_mb()
    if megabytes > 0 and sys.platform == "linux":
        with open("/proc/self/statm") as statm:
            now = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = now + (megabytes << 20)
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return megabytes
