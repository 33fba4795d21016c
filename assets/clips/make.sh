#!/bin/sh
# Remakes the simulator clips. Run from assets/clips/. Needs ffmpeg (made with 5.1.9, Debian 12).
#
# Each model's clip is a pan over one large textured still: two cellular-automaton patterns (fine
# 4 px cells, coarse 24 px cells) multiplied over the model's colour gradient. The pan moves every
# frame (sharp, never frozen) and costs x264 little (whole-picture motion), so the clips stay small.
# The defect variants are the 5 s clean clip with one thing wrong (see README.md).
set -eu
q="-hide_banner -loglevel error"
enc="-c:v libx264 -preset slow -crf 32 -pix_fmt yuv420p -r 24 -movflags +faststart -an -y"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# still NAME WxH GRADIENT FINE_RULE COARSE_RULE: the textured picture a clip pans over.
still() {
  w=${2%x*} h=${2#*x}
  cw=$((w / 24 + 1)) ch=$((h / 24 + 1))
  ffmpeg $q -filter_complex "
    gradients=s=$2:r=1:$3,format=gbrp[bg];
    cellauto=s=$((w / 4))x$((h / 4)):r=1:rule=$4:full=1:start_full=1:random_seed=1,
      scale=$w:$h:flags=neighbor,format=gray,lutyuv=y=val*0.55+115,format=gbrp[fine];
    cellauto=s=${cw}x$ch:r=1:rule=$5:full=1:start_full=1:random_seed=2,
      scale=$((cw * 24)):$((ch * 24)):flags=neighbor,crop=$w:$h:0:0,
      format=gray,lutyuv=y=val*0.3+179,format=gbrp[coarse];
    [bg][fine]blend=all_mode=multiply[a];[a][coarse]blend=all_mode=multiply,format=rgb24" \
    -frames:v 1 -y "$tmp/$1.png"
}

# clip OUT NAME FRAMES DX DY [FILTERS] [POSITION]: FRAMES of a pan over still NAME, DX/DY pixels a
# frame; POSITION (an expression of n, the frame number) says where frame n is on the pan.
clip() {
  pos=${7:-n}
  ffmpeg $q -loop 1 -framerate 24 -i "$tmp/$2.png" \
    -vf "crop=720:1280:'($pos)*$4':'($pos)*$5'${6:+,$6},format=yuv420p" \
    $enc -frames:v "$3" "$1"
}

# Ray 2 Flash: cool blue/violet, rule 30, panning down. Kling 2.5 Turbo: warm orange/pink
# glow, rule 110, panning sideways. WAN 2.5: green/teal spiral, rule 90, panning diagonally.
# Stills are large enough for a 10 s pan (240 frames).
still ray 720x2240 "type=linear:n=3:c0=0x2a3a8b:c1=0x7a5fd4:c2=0x9ad0f5:seed=1" 30 150
still kling 1680x1280 "type=radial:n=3:c0=0xffa24c:c1=0xe8568c:c2=0xa03a6a:seed=2" 110 150
still wan 1200x2240 "type=spiral:n=3:c0=0x1f7e6a:c1=0x6fd6a8:c2=0xe6f7c1:seed=3" 90 30

for m in "ray 0 4" "kling 4 0" "wan 2 4"; do
  set -- $m
  name=$1 dx=$2 dy=$3
  clip "$name-5s.mp4" "$name" 120 "$dx" "$dy"
  clip "$name-10s.mp4" "$name" 240 "$dx" "$dy"
  # Defects, 5 s only. frozen: frames 36-83 (1.5 s to 3.5 s) repeat frame 36.
  clip "$name-5s-frozen.mp4" "$name" 120 "$dx" "$dy" "" "if(lt(n,36),n,if(lt(n,84),36,n-48))"
  # black: frames 0-14 (0 to 0.625 s) are black, then the clean picture.
  clip "$name-5s-black.mp4" "$name" 120 "$dx" "$dy" "drawbox=c=black:t=fill:enable='lt(n,15)'"
  # blurry: a Gaussian blur of sigma 8 over every frame.
  clip "$name-5s-blurry.mp4" "$name" 120 "$dx" "$dy" "gblur=sigma=8"
  # flicker: brightness jumps up and down by 0.1 (about 25 of 255) every two frames (two
  # frames bright, two dark: x264 then finds a reference of the same brightness nearby, which
  # keeps the file 5x smaller than jumping every frame).
  clip "$name-5s-flicker.mp4" "$name" 120 "$dx" "$dy" \
    "eq=brightness='if(mod(floor(n/2),2),0.1,-0.1)':eval=frame"
done
