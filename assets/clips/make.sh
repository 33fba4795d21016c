#!/bin/sh
# Remakes the six simulator clips. Run from assets/clips/. Needs ffmpeg (tested with 5.1).
set -eu
enc="-c:v libx264 -preset veryslow -crf 38 -pix_fmt yuv420p -r 24 -movflags +faststart -an -y"
for d in 5 10; do
  # Ray: slow linear blue/violet gradient sweep.
  ffmpeg -hide_banner -loglevel error -f lavfi \
    -i "gradients=s=720x1280:r=24:d=$d:type=linear:n=3:c0=0x1b2a6b:c1=0x6a4fc4:c2=0x9ad0f5:speed=0.02:seed=1" \
    $enc -t $d "ray-${d}s.mp4"
  # Kling: warm radial glow (orange/pink) pulsing around the centre.
  ffmpeg -hide_banner -loglevel error -f lavfi \
    -i "gradients=s=720x1280:r=24:d=$d:type=radial:n=3:c0=0xff9a3c:c1=0xe8467c:c2=0x3a0d2e:speed=0.03:seed=2" \
    $enc -t $d "kling-${d}s.mp4"
  # WAN: green/teal spiral turning slowly.
  ffmpeg -hide_banner -loglevel error -f lavfi \
    -i "gradients=s=720x1280:r=24:d=$d:type=spiral:n=3:c0=0x0f5e4a:c1=0x6fd6a8:c2=0xe6f7c1:speed=0.015:seed=3" \
    $enc -t $d "wan-${d}s.mp4"
done
