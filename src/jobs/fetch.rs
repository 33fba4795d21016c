//! The download stage's two halves: one attempt at getting the clip to disk (streamed, capped,
//! without credentials), then the probe that measures it and notes any difference from the
//! request beside it. Retrying attempts is the job task's business (it owns the backoff, the
//! cancel switch and the deadline).

use crate::media::{
    DownloadLimits, DownloadedClip, MediaError, describe_mismatch, download_clip, probe_mp4_async,
};
use crate::provider::JobOutput;
use crate::session::ClipFile;

use super::JobSpec;

/// One attempt at downloading the clip of `output` to `spec.clip_path`.
///
/// # Errors
/// Why the attempt failed; [`MediaError::is_transient`] says whether another may succeed.
pub(crate) async fn download_once(
    http: &reqwest::Client,
    spec: &JobSpec,
    output: &JobOutput,
    max_bytes: u64,
    progress: impl FnMut(u64, Option<u64>) + Send,
) -> Result<DownloadedClip, MediaError> {
    let limits = DownloadLimits {
        max_bytes,
        ..DownloadLimits::default()
    };
    download_clip(http, &output.video_url, &spec.clip_path, limits, progress).await
}

/// Probes a downloaded clip. A failed probe is not an error: the clip is kept, its
/// measurements stay unknown and the mismatch note says why.
pub(crate) async fn measure(spec: &JobSpec, downloaded: DownloadedClip) -> ClipFile {
    let mut clip = ClipFile {
        path: downloaded.path,
        bytes: downloaded.bytes,
        sha256: downloaded.sha256,
        duration_s: None,
        width: None,
        height: None,
        fps: None,
        mismatch: None,
    };
    match probe_mp4_async(clip.path.clone()).await {
        Ok(probe) => {
            let model = &spec.model;
            let duration = model.nearest_duration(spec.input.duration_s);
            let resolution = model
                .has_resolution()
                .then_some(spec.input.resolution.as_str());
            clip.mismatch =
                describe_mismatch(duration, resolution, &spec.input.aspect_ratio, &probe);
            (clip.duration_s, clip.width, clip.height, clip.fps) = (
                Some(probe.duration_s),
                Some(probe.width),
                Some(probe.height),
                probe.fps,
            );
        }
        Err(err) => {
            tracing::warn!(clip = %spec.clip_id, error = %err, "probe failed");
            clip.mismatch = Some(format!("not measurable: {err}"));
        }
    }
    clip
}
