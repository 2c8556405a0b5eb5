#!/bin/sh
# A stand-in for the hypergraph E2E runner (tests/e2e/runner.py) that speaks its protocol:
#   flags --base-url --load-duration --concurrency --output <report.json>, plus --kebab-case=value extras;
#   writes the JSON report at --output and a Markdown one beside it;
#   prints a JSON summary {"total","passed","failed","skipped","output_json","output_md"} as its last line;
#   exits 1 when a test failed;
#   reads the read token from AUTH_TOKEN_READ (secrets come in the environment, never on the command line).
# Behaviour is chosen with --only=<mode>: pass (default), fail, sleep (runs until killed), crash (exit 3),
# chatty (after 1 s, so subscribers are attached live: 500 lines of output at once, then pass).
echo "fake runner started with: $*"
base=""; output=""; only="pass"; token="${AUTH_TOKEN_READ:-}"; duration=""; concurrency=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base-url) base="$2"; shift 2 ;;
    --load-duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --only=*) only="${1#--only=}"; shift ;;
    *) shift ;;
  esac
done
echo "target $base for ${duration}s with $concurrency users, token $token"
echo "a warning on stderr" >&2
case "$only" in
  sleep) echo "sleeping"; sleep 60 ;;
  crash) echo "cannot reach $base" >&2; exit 3 ;;
  chatty) sleep 1; i=0; while [ $i -lt 500 ]; do echo "progress line $i"; i=$((i+1)); done ;;
esac
if [ "$only" = "fail" ]; then passed=1; failed=1; result=failed; code=1; else passed=2; failed=0; result=passed; code=0; fi
md="${output%.json}.md"
printf '{"target":"%s","token_seen":"%s","tests":[{"name":"smoke","status":"passed"},{"name":"chat","status":"%s"}]}\n' \
  "$base" "$token" "$result" > "$output"
printf '# Fake runner report\n\n| test | status |\n|---|---|\n| smoke | passed |\n| chat | %s |\n\ntoken: %s\n' \
  "$result" "$token" > "$md"
printf '{"total":2,"passed":%d,"failed":%d,"skipped":0,"output_json":"%s","output_md":"%s"}\n' \
  "$passed" "$failed" "$output" "$md"
exit $code
