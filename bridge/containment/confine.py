"""The fallback box without bubblewrap: run as root by the server, it confines itself, then execs the code.

    python -I -S confine.py CONFIG_JSON

In order: join the run's cgroup; new mount, network, IPC, UTS and PID namespaces; a fresh /proc
(the host's processes are gone) with /proc/sys read-only; a size-capped tmpfs as the work dir;
rlimits (RLIMIT_NPROC included); Landlock (read only the system and the interpreter, write only
the work dir); the box uid with no groups and no capabilities; no_new_privs; the seccomp filter.
Like bwrap, a small init is pid 1 of the namespace and the code runs as its child, so the run ends
when that init dies and nothing the code starts can outlive it.

Standalone: stdlib only, plus its two sibling modules, so the server's packages never load here.
"""

import ctypes
import json
import os
import resource
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import landlock
import seccomp

FAILED = 125  # as the bwrap prologue: nothing of the code ran
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
LAST_CAP = 63  # higher than any kernel's; dropping an unknown capability fails harmlessly

libc = ctypes.CDLL(None, use_errno=True)


def fail(message):
    os.write(2, f"box: {message}\n".encode())
    os._exit(FAILED)


def check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        fail(f"{what}: {os.strerror(error)}")


def mount(source, target, fstype, flags, data=None):
    check(libc.mount(source, target.encode(), fstype, flags, data), f"mount {target}")


def exit_like(status):
    """Leave with the status of a waited child, as bwrap does: the code, or 128 + the signal."""
    if os.WIFSIGNALED(status):
        os._exit(128 + os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else FAILED)


def wait_for(child):
    """Reap every process of the namespace until `child` ends; then leave with its status."""
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            fail("the code's process vanished")
        if pid == child:
            exit_like(status)


def set_rlimits(limits):
    cpu = limits["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU at the soft limit, SIGKILL a second later
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_size_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits["open_files"],) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_MEMLOCK, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"],) * 2)
    if limits.get("address_space_bytes"):
        resource.setrlimit(resource.RLIMIT_AS, (limits["address_space_bytes"],) * 2)


def become_the_code(config):
    """In the namespace: the work dir, the limits, the jail, the uid; then exec."""
    uid = config["uid"]
    workdir = config["workdir"]
    mount(b"tmpfs", workdir, b"tmpfs", MS_NOSUID | MS_NODEV,
          f"size={config['workdir_bytes']},mode=0700,uid={uid},gid={uid}".encode())
    os.chdir(workdir)
    set_rlimits(config["rlimits"])
    os.umask(0o077)
    try:
        landlock.restrict(libc, landlock.abi_version(libc), config["readable"], [workdir],
                          ["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"])
    except OSError as e:
        fail(f"cannot confine the filesystem with Landlock: {e}")
    for cap in range(LAST_CAP + 1):  # an empty bounding set: no exec can ever regain a capability
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to an ordinary uid: every capability goes with it
    if os.getuid() != uid or os.geteuid() != uid:
        fail("could not drop to the box uid")
    program = bytes.fromhex(config["seccomp"]) if config.get("seccomp") else None
    if program is not None and not seccomp.install(libc, program):
        fail("cannot load the seccomp filter")
    if program is None:
        check(libc.prctl(landlock.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    argv = config["argv"]
    try:
        os.execve(argv[0], argv, config["env"])
    except OSError as e:
        fail(f"cannot run {argv[0]}: {e}")


def main():
    config = json.loads(sys.argv[1])
    check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    for path in config["cgroup_procs"]:
        try:
            with open(path, "w") as f:
                f.write("0")
        except OSError as e:
            fail(f"cannot join cgroup {path}: {e}")
    check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID), "unshare")
    init = os.fork()  # the first child of a new PID namespace is its pid 1
    if init:
        wait_for(init)
    check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount(b"proc", "/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # A read-only bind of the namespace's own /proc/sys over itself: sysctls readable, never writable.
    mount(b"/proc/sys", "/proc/sys", None, MS_BIND | MS_REC)
    mount(None, "/proc/sys", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    libc.sethostname(b"sandbox", 7)
    code = os.fork()
    if code:
        wait_for(code)
    become_the_code(config)


if __name__ == "__main__":
    main()
