#!/bin/bash
# The QR degradation table of README.md (Printing and QR codes): each sheet kind of the sample,
# printed by Chromium, its first page rendered at 72, 100 and 150 dpi and decoded by zbarimg as
# rendered, turned 5°, blurred 0x1, and both. Usage: bash benches/qr_degradation.sh PUBLIC_DIR
pub=$(cd "$1" && pwd)
work=$(mktemp -d)
cd "$work"
trap 'rm -rf "$work"' EXIT
declare -A kinds=([notice]=n/water-cut-5 [page]=p/about [statement]=a/maintenance/2026-Q3 [standards]=s/property-2026 [service-record]=r [vote]=v/roof-3-repair [matter]=m/roof-3 [donation]=d/garden-2026 [minutes]=k/committee-2026-11 [poster]=print/b/5-1 [contacts]=print/contacts)
printf "| sheet |"; for d in 72 100 150; do for v in plain rotate blur both; do printf " %s %s |" $d $v; done; done; echo
for k in notice page statement standards service-record vote matter donation minutes poster contacts; do
  p=${kinds[$k]}
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$(mktemp -d) --no-pdf-header-footer --print-to-pdf=$k.pdf file://$pub/$p/index.html 2>/dev/null
  want="https://hupan.example.cn/$p/"; [ $k = poster ] && want="https://hupan.example.cn/b/5-1/"; [ $k = contacts ] && want="https://hupan.example.cn/"
  printf "| %s |" $k
  for d in 72 100 150; do
    pdftoppm -r $d -f 1 -l 1 -png $k.pdf $k-$d >/dev/null 2>&1; f=$(ls $k-$d*.png | head -1)
    for v in plain rotate blur both; do
      case $v in plain) cp $f t.png;; rotate) convert $f -rotate 5 t.png;; blur) convert $f -blur 0x1 t.png;; both) convert $f -blur 0x1 -rotate 5 t.png;; esac
      got=$(zbarimg --raw -q t.png 2>/dev/null | head -1)
      if [ "$got" = "$want" ]; then printf " ✔ |"; else printf " ✘ |"; fi
    done
  done; echo
done
