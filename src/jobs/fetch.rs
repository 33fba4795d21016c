//! The download stage: the clip goes to disk (streamed, capped, without credentials), then the
//! probe measures it and any difference from the request is noted beside it.

use crate::media::{DownloadLimits, describe_mismatch, download_clip, probe_mp4_async};
use crate::provider::JobOutput;
use crate::session::ClipFile;

use super::JobSpec;

/// Downloads the clip of `output` to `spec.clip_path` and probes it.
///
/// # Errors
/// The reason, as one sanitised line, when the download fails. A failed probe is not an error:
/// the clip is kept and its measurements stay unknown.
pub(crate) async fn fetch_clip(
    http: &reqwest::Client,
    spec: &JobSpec,
    output: &JobOutput,
    max_bytes: u64,
    progress: impl FnMut(u64, Option<u64>) + Send,
) -> Result<ClipFile, String> {
    let limits = DownloadLimits {
        max_bytes,
        ..DownloadLimits::default()
    };
    let downloaded = download_clip(http, &output.video_url, &spec.clip_path, limits, progress)
        .await
        .map_err(|err| format!("download failed: {err}"))?;
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
    Ok(clip)
}
