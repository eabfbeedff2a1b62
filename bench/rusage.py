# Runs a command and prints its wall time, CPU time (user+sys) and peak RSS, from
# wait4's rusage (microsecond resolution, unlike GNU time's centiseconds).
# Usage: python3 bench/rusage.py OUTFILE CMD ARGS...   (stdio passes through)
import os, sys, time

out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(out, "w") as f:
    f.write("%f %f %d\n" % (wall * 1000, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
