# Process helpers shared by the control plane's and the node's up and down (sourced, not run).
# A pid file names a process only while that process is alive AND its command line mentions the
# control plane's DIR: a recycled pid of some unrelated process must never be signalled.

# pid_of DIR NAME: prints the pid recorded in DIR/NAME.pid, or nothing.
pid_of() {
  local file="$1/$2.pid"
  [ -s "$file" ] && tr -dc '0-9' <"$file"
}

# pid_alive DIR NAME: succeeds when DIR/NAME.pid names a live process that belongs to DIR.
pid_alive() {
  local pid
  pid=$(pid_of "$1" "$2") || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  # Zombies (exited, not yet reaped) count as gone.
  [ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" != Z ] || return 1
  # A process just started may still be between fork and exec (its cmdline is its parent shell's,
  # or empty during exec): give it a moment before calling it someone else's.
  local try
  for try in 1 2 3 4 5 6 7 8 9 10; do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$1" && return 0
    [ -r "/proc/$pid/cmdline" ] || return 1
    sleep 0.05
  done
  return 1
}

# uptime_s: seconds since boot. Start-up deadlines follow this monotonic clock: the wall clock (and
# bash's $SECONDS with it) can jump forward on these machines and end a wait that has not started.
uptime_s() {
  local up
  read -r up _ </proc/uptime
  echo "${up%.*}"
}
