# Helpers shared by tools/node/up, inner and down (sourced, not run).

# node_cgroup_mounts: every mounted cgroup hierarchy (v1: cpu, memory, pids, ...; v2), one path a line.
node_cgroup_mounts() {
  awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts
}

# node_cgroup_parent: the folder, relative to each hierarchy's root, under which the node's
# cgroup goes: this shell's memory cgroup (so the node stays inside the memory accounting of
# whoever started it), else the root.
node_cgroup_parent() {
  local path
  path=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)
  [ -n "$path" ] || path=/
  echo "${path%/}"
}

# node_cgroup_pids CGROUP: pids of every process in the node's cgroup tree (first hierarchy holds all).
node_cgroup_pids() {
  local h
  h=$(node_cgroup_mounts | grep -m1 -E '/(pids|memory|cpu,cpuacct|freezer)$' || node_cgroup_mounts | head -n1)
  [ -n "$h" ] && [ -d "$h$1" ] || return 0
  find "$h$1" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un
}
