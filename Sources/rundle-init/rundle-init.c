/*
 * rundle-init: the no-op PID 1 of every Rundle container.
 *
 * Not a SwiftPM target: scripts/build compiles it with
 *     musl-gcc -static -Os -s   (fallback: cc -static -Os -s)
 * into the same directory as the `rundle` executable, which bind-mounts it into each container
 * and makes it the container's init. The container's real work is started with `runc exec`.
 * Uses only POSIX calls that musl provides; no allocation, no stdio, no files.
 *
 * What it must do, and how:
 *
 *  1. Never exit. The container lives exactly as long as its PID 1; it is ended only by
 *     SIGKILL from the host (`runc kill KILL`, `runc delete --force`), which cannot be caught.
 *
 *  2. Ignore the signals a user might send it (TERM, INT, HUP, QUIT, USR1, USR2, PIPE, ALRM, ...).
 *     As PID 1 of a PID namespace the kernel already drops signals left at SIG_DFL when they
 *     come from inside the namespace (`kill -TERM 1` in the container); whether it also drops
 *     them when they come from the host (`runc kill <id> TERM`) has varied between kernel
 *     versions. We set SIG_IGN explicitly anyway:
 *     - the behaviour then does not depend on kernel version or on who sends the signal;
 *     - it stays correct if a container is ever run without its own PID namespace, where
 *       this process is not PID 1 and the kernel gives it no protection at all;
 *     - SIG_IGN (unlike a handler) means no signal ever wakes us, so there is nothing to
 *       handle, no EINTR paths, no reentrancy to reason about.
 *     Ignored dispositions are inherited across fork/exec, but this process never forks or
 *     execs, and processes started by `runc exec` are not its children, so nothing leaks.
 *     Synchronous fault signals (SEGV, BUS, FPE, ILL, TRAP, SYS) are left at their defaults:
 *     a real fault must kill us rather than loop, and the kernel forces them anyway.
 *
 *  3. Reap zombies. Every orphan in the PID namespace (a daemon whose parent exited, the
 *     background job of an exec'd shell) is reparented to this process; if nobody waits for
 *     it, it stays <defunct>, holding a PID and a process-table slot until the container dies.
 *     We set SA_NOCLDWAIT on SIGCHLD (with disposition SIG_IGN, which POSIX gives the same
 *     meaning): the kernel then releases every child of ours the moment it exits, including
 *     children that were already zombies when they were reparented to us. No wait loop.
 *
 *     Why not the wait loop: Guardian's garden-init went through exactly this. In 2018-01 it
 *     used sigwait() on SIGCHLD plus wait(); it suffered flaky <defunct> processes (and
 *     "container init still running" destroy failures), and in 2018-08/09 it switched to
 *     SA_NOCLDWAIT + pause(). A wait loop is easy to get subtly wrong: SIGCHLDs coalesce (two
 *     exits, one signal, one wait() = one zombie left), a child that exits between the last
 *     waitpid(WNOHANG) and the next sigwait is missed unless SIGCHLD was blocked all along,
 *     and one early return from the loop leaves zombies until the next, unrelated, exit. With
 *     SA_NOCLDWAIT the kernel does the reaping on the exit path itself (and when it reparents
 *     an orphan that is already a zombie); there is no window to miss. We never need an exit status (the exec'd processes are not our children; their
 *     status goes to whoever started them), so nothing is lost.
 *
 * Then it sleeps in pause() forever. Since every catchable signal is ignored, pause() never
 * returns in practice; the loop is only there so that nothing (a SIGSTOP/SIGCONT pair from the
 * host, say) can ever make it fall off the end of main.
 */

#include <signal.h>
#include <unistd.h>

static int is_fault_signal(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
           sig == SIGTRAP || sig == SIGSYS;
}

int main(void)
{
    struct sigaction sa;
    int sig;

    /* Start from an empty signal mask: whatever runc (or a Swift caller's worker thread)
     * left blocked, nothing we rely on may stay blocked. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, 0);

    /* 2. Ignore every catchable, non-fault signal. sigaction fails (harmlessly) for SIGKILL,
     * SIGSTOP and the real-time signals musl reserves for itself; that is fine. */
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sa.sa_handler = SIG_IGN;
    for (sig = 1; sig < _NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || is_fault_signal(sig))
            continue;
        sigaction(sig, &sa, 0);
    }

    /* 3. Let the kernel reap every child (and reparented orphan) as it exits. */
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NOCLDWAIT;
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGCHLD, &sa, 0) != 0) {
        /* Cannot happen for SIGCHLD; if it ever did, zombies would pile up silently.
         * Say so once on stderr (which is usually /dev/null) and keep running anyway:
         * exiting would kill the container. */
        static const char msg[] = "rundle-init: sigaction(SIGCHLD, SA_NOCLDWAIT) failed\n";
        (void)!write(2, msg, sizeof msg - 1);
    }

    /* 1. Never exit. */
    for (;;)
        pause();
}
