#!/usr/bin/env bash
# tests/cluster/slurm.sh (make test-cluster): docs/batch.md's Slurm recipe on a
# real, one-node Slurm from Debian's packages. It starts munged, slurmctld and
# slurmd in the foreground on private sockets, ports and folders (no systemd,
# nothing in /etc changed), submits the doc's job array (taken from the doc
# itself, with what the doc says to adapt: 4 shards, fewer runs, one CPU a
# task) held, cancels task 3, releases the rest, lets the doc's `afterany`
# merge fail naming the missing shard, reruns task 3 and merges as the doc
# says, and checks the merged runs file, sidecar and summary are byte for
# byte those of one local `detente mc`. Stops what it started, by PID.
# Skips (exit 77) only where Slurm or munge is not installed; with CI set, a
# skip fails. Needs root (SlurmUser=root; munged runs as user munge).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${DETENTE_BIN:-$ROOT/build/detente}
RUNS=${CLUSTER_RUNS:-3000}
die() { echo "FAIL: test-cluster: $*" >&2; exit 1; }
skip() {
  if [ -n "${CI:-}" ]; then die "$* (CI is set: a skip is a failure; make deps installs them)"; fi
  echo "skip: test-cluster: $*"; exit 77
}
for c in munged munge slurmctld slurmd sbatch squeue scontrol scancel runuser; do
  command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] ||
    skip "needs '$c': Debian's slurmctld slurmd slurm-client munge (make deps)"
done
[ "$(id -u)" = 0 ] || skip "needs root: SlurmUser is root and munged runs as user munge"
id munge >/dev/null 2>&1 || skip "no user 'munge' (the munge package makes it)"
[ -r /etc/munge/munge.key ] || skip "no /etc/munge/munge.key (the munge package makes it)"
[ -x "$BIN" ] || die "no $BIN: run make first"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")   # the jobs run elsewhere
export PATH="$(dirname "$BIN"):/usr/sbin:$PATH"   # the doc: detente on PATH

B=$(mktemp -d /tmp/detente-slurm.XXXXXX)
chmod 755 "$B"                                    # munged checks the socket's folders
mkdir -p "$B/munge" "$B/state" "$B/spool" "$B/log" "$B/work/scripts"
chown munge:munge "$B/munge"
pids=()
cleanup() {
  local rc=$?
  if [ -n "${SLURM_CONF:-}" ]; then scancel --quiet --user=root 2>/dev/null || true; fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM -- "-${pids[i]}" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-${pids[i]}" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    echo "--- test-cluster logs ($B) ---" >&2
    tail -n 20 "$B"/log/*.log "$B"/log/*.out "$B"/work/logs/* >&2 2>/dev/null || true
  fi
  [ -n "${KEEP:-}" ] || rm -rf "$B"
  exit "$rc"
}
trap cleanup EXIT
# Each daemon in the foreground, in a process group of its own (setsid), so
# that its PID stops it and what it started.
start() { local name=$1; shift; setsid "$@" >"$B/log/$name.out" 2>&1 & pids+=($!); }

M=$B/munge
start munged runuser -u munge -- munged -F -S "$M/munge.sock" --key-file=/etc/munge/munge.key \
  --log-file="$M/munged.log" --pid-file="$M/munged.pid" --seed-file="$M/munged.seed"
for _ in $(seq 1 100); do [ -S "$B/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$B/munge/munge.sock" ] || die "munged did not start: $(cat "$B/log/munged.out")"

NCPU=$(nproc)
cat >"$B/slurm.conf" <<CONF
ClusterName=detente-test
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$B/munge/munge.sock
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MinJobAge=3600
StateSaveLocation=$B/state
SlurmdSpoolDir=$B/spool
SlurmctldPidFile=$B/slurmctld.pid
SlurmdPidFile=$B/slurmd.pid
SlurmctldLogFile=$B/log/slurmctld.log
SlurmdLogFile=$B/log/slurmd.log
ReturnToService=2
MpiDefault=none
NodeName=localhost NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$NCPU State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$B/slurm.conf
start slurmctld slurmctld -D -i -f "$SLURM_CONF"
for _ in $(seq 1 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
scontrol ping | grep -q UP || die "slurmctld did not come up"
start slurmd slurmd -D -N localhost -f "$SLURM_CONF"
for _ in $(seq 1 150); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.2; done
[ "$(sinfo -h -o %T)" = idle ] || die "the node is not idle: $(sinfo -h -o '%T %E')"
echo "test-cluster: one-node Slurm up ($(sinfo -V), $NCPU CPUs)"

# The doc's blocks: the job script, the submission, the rerun of one task.
block() {   # the Nth ```sh block after the "### Slurm job array" heading
  awk -v want="$1" '/^### Slurm job array/ { s = 1 }
    s && /^```sh$/ { n++; if (n == want) { f = 1; next } }
    f && /^```$/ { exit } f { print }' "$ROOT/docs/batch.md"
}
adapt() {   # sed EXPR FILE: the doc must still say what is adapted
  local before; before=$(cat "$2"); sed -i "$1" "$2"
  [ "$before" != "$(cat "$2")" ] ||
    die "docs/batch.md changed: '$1' no longer applies to $(basename "$2")"
}
cd "$B/work"
cp "$ROOT/scripts/new_start_2026.lua" scripts/
block 1 >job.sh
block 2 >submit.sh
block 3 >rerun.sh
grep -q 'detente mc scripts/new_start_2026.lua' job.sh || die "no job script found in docs/batch.md"
adapt 's/--array=1-16/--array=1-4/' job.sh
adapt 's/SHARDS=${SHARDS:-16}/SHARDS=${SHARDS:-4}/' job.sh
adapt "s/--runs 100000/--runs $RUNS/" job.sh
adapt 's/--cpus-per-task=2/--cpus-per-task=1/' job.sh
# Submitted held, so that task 3 is cancelled before it could start.
adapt 's/sbatch --parsable job.sh/sbatch --parsable --hold job.sh/' submit.sh
adapt 's/--array=7/--array=3/' rerun.sh
grep -q '<that job id>' rerun.sh ||
  die "docs/batch.md changed: the rerun block has no <that job id>"

wait_idle() {   # until no job is left, at most $1 seconds
  for _ in $(seq 1 $(($1 * 2))); do [ -z "$(squeue -h -o %i)" ] && return 0; sleep 0.5; done
  squeue >&2; die "jobs still queued after $1 s"
}
state() { scontrol show job "$1" | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
exitcode() { scontrol show job "$1" | grep -o ' ExitCode=[0-9:]*' | head -1 | cut -d= -f2; }

jid=""
source submit.sh >submit.out        # sets jid, submits the afterany merge
merge1=$(grep -o '[0-9]\+' submit.out | tail -1)
[ -n "$jid" ] && [ -n "$merge1" ] || die "the doc's submission gave no job ids"
scancel "${jid}_3"
scontrol release "$jid"
wait_idle 240
for k in 1 2 4; do
  [ "$(state "${jid}_$k")" = COMPLETED ] || die "task $k: $(state "${jid}_$k")"
done
# a held task cancelled before it started leaves no record of its own
scontrol show job "$jid" | grep -q 'ArrayTaskId=3 ' && die "task 3 is still there after scancel"
[ ! -e shards/shard-3.csv ] || die "the cancelled task ran"
# afterany: the merge ran anyway and failed, naming what is missing
[ "$(state "$merge1")" = FAILED ] && [ "$(exitcode "$merge1")" = 5:0 ] ||
  die "the first merge should fail with exit 5: $(state "$merge1") $(exitcode "$merge1")"
grep -q "shard 3/4" logs/merge.out ||
  die "the failed merge does not name shard 3/4: $(cat logs/merge.out)"
echo "test-cluster: task 3 cancelled; the afterany merge failed naming it (exit 5)"

# The rerun as the doc says: that task again, then the merge after it.
first=$(head -1 rerun.sh)
rid=$(bash -c "$first" | grep -o '[0-9]\+' | tail -1)
[ -n "$rid" ] || die "the rerun gave no job id"
tail -n +2 rerun.sh | sed "s/<that job id>/$rid/" >merge2.sh
bash merge2.sh >merge2.out
wait_idle 240
merge2=$(grep -o '[0-9]\+' merge2.out | tail -1)
[ "$(state "$merge2")" = COMPLETED ] ||
  die "the second merge: $(state "$merge2"): $(cat logs/merge.out)"

# One local batch with the job's settings, unsharded.
seed=$(grep -o -- '--seed [0-9]*' job.sh | cut -d' ' -f2)
detente mc scripts/new_start_2026.lua --runs "$RUNS" --seed "$seed" --threads 2 --quiet \
  --out local.csv --summary local.json
cmp runs.csv local.csv || die "the merged runs file differs from one local mc"
cmp runs.csv.meta.json local.csv.meta.json || die "the merged sidecar differs from one local mc"
cmp summary.json local.json || die "the merged summary differs from one local mc"
grep -q "runs/s" logs/mc-"${jid}"_1.out || die "no progress lines in a task's log (--progress 60)"
echo "ok: test-cluster: the doc's Slurm array (4 shards, one cancelled and rerun) merges to" \
  "one local mc byte for byte ($RUNS runs)"
