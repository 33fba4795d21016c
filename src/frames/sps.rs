//! Just enough of an H.264 sequence parameter set to find its colour signalling: the VUI's
//! `video_full_range_flag` and `matrix_coefficients`. Everything before the VUI is read only to
//! be skipped. Emulation-prevention bytes (`00 00 03`) are removed first.

/// The colour signalling of an SPS's VUI, where present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct VuiColour {
    /// `video_full_range_flag`, when `video_signal_type_present_flag` is set.
    pub full_range: Option<bool>,
    /// `matrix_coefficients`, when `colour_description_present_flag` is set.
    pub matrix: Option<u8>,
}

/// Reads the colour signalling of an SPS NAL unit (header byte included); `None` when the SPS
/// is cut short or malformed, an empty [`VuiColour`] when it has no VUI or no signal type.
pub(crate) fn vui_colour(nal: &[u8]) -> Option<VuiColour> {
    let rbsp = unescape(nal.get(1..)?);
    let mut bits = Bits { data: &rbsp, at: 0 };
    skip_to_vui(&mut bits)?;
    if !bits.flag()? {
        return Some(VuiColour::default());
    }
    if bits.flag()? {
        // aspect_ratio_idc; 255 (extended SAR) is followed by a 16-bit width and height.
        if bits.read(8)? == 255 {
            bits.read(32)?;
        }
    }
    if bits.flag()? {
        bits.flag()?; // overscan_appropriate_flag
    }
    if !bits.flag()? {
        return Some(VuiColour::default());
    }
    bits.read(3)?; // video_format
    let full_range = Some(bits.flag()?);
    let matrix = if bits.flag()? {
        bits.read(16)?; // colour_primaries, transfer_characteristics
        Some(bits.read(8)? as u8)
    } else {
        None
    };
    Some(VuiColour { full_range, matrix })
}

/// Skips every SPS field before `vui_parameters_present_flag`.
fn skip_to_vui(bits: &mut Bits<'_>) -> Option<()> {
    let profile = bits.read(8)?;
    bits.read(16)?; // constraint flags, level_idc
    bits.ue()?; // seq_parameter_set_id
    if matches!(
        profile,
        100 | 110 | 122 | 244 | 44 | 83 | 86 | 118 | 128 | 138 | 139 | 134 | 135
    ) {
        skip_high_profile_fields(bits)?;
    }
    bits.ue()?; // log2_max_frame_num_minus4
    match bits.ue()? {
        0 => {
            bits.ue()?; // log2_max_pic_order_cnt_lsb_minus4
        }
        1 => {
            bits.flag()?;
            bits.se()?;
            bits.se()?;
            for _ in 0..bits.ue()?.min(255) {
                bits.se()?;
            }
        }
        _ => {}
    }
    bits.ue()?; // max_num_ref_frames
    bits.flag()?; // gaps_in_frame_num_value_allowed_flag
    bits.ue()?; // pic_width_in_mbs_minus1
    bits.ue()?; // pic_height_in_map_units_minus1
    if !bits.flag()? {
        bits.flag()?; // mb_adaptive_frame_field_flag
    }
    bits.flag()?; // direct_8x8_inference_flag
    if bits.flag()? {
        for _ in 0..4 {
            bits.ue()?; // frame_crop_*_offset
        }
    }
    Some(())
}

/// Chroma format, bit depths and scaling matrices of the High profiles.
fn skip_high_profile_fields(bits: &mut Bits<'_>) -> Option<()> {
    let chroma_format = bits.ue()?;
    if chroma_format == 3 {
        bits.flag()?; // separate_colour_plane_flag
    }
    bits.ue()?; // bit_depth_luma_minus8
    bits.ue()?; // bit_depth_chroma_minus8
    bits.flag()?; // qpprime_y_zero_transform_bypass_flag
    if bits.flag()? {
        let lists = if chroma_format == 3 { 12 } else { 8 };
        for list in 0..lists {
            if bits.flag()? {
                skip_scaling_list(bits, if list < 6 { 16 } else { 64 })?;
            }
        }
    }
    Some(())
}

/// A scaling list: delta-coded values until the list ends or `next_scale` hits 0.
fn skip_scaling_list(bits: &mut Bits<'_>, size: usize) -> Option<()> {
    let (mut last, mut next) = (8_i64, 8_i64);
    for _ in 0..size {
        if next != 0 {
            next = (last + bits.se()? + 256) % 256;
        }
        if next != 0 {
            last = next;
        }
    }
    Some(())
}

/// The RBSP of a NAL unit payload: every `00 00 03` loses its `03`.
fn unescape(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len());
    let mut zeros = 0;
    for &byte in payload {
        if zeros >= 2 && byte == 3 {
            zeros = 0;
            continue;
        }
        zeros = if byte == 0 { zeros + 1 } else { 0 };
        out.push(byte);
    }
    out
}

/// A big-endian bit reader; every read is `None` past the end.
struct Bits<'a> {
    /// The RBSP bytes.
    data: &'a [u8],
    /// The next bit's position.
    at: usize,
}

impl Bits<'_> {
    /// One bit.
    fn bit(&mut self) -> Option<u64> {
        let byte = self.data.get(self.at / 8)?;
        let bit = (byte >> (7 - self.at % 8)) & 1;
        self.at += 1;
        Some(u64::from(bit))
    }

    /// One bit as a flag.
    fn flag(&mut self) -> Option<bool> {
        self.bit().map(|bit| bit == 1)
    }

    /// `count` (at most 32) bits as an unsigned number.
    fn read(&mut self, count: u32) -> Option<u64> {
        (0..count).try_fold(0, |value, _| Some((value << 1) | self.bit()?))
    }

    /// An unsigned Exp-Golomb number (at most 31 leading zeros).
    fn ue(&mut self) -> Option<u64> {
        let mut zeros = 0;
        while !self.flag()? {
            zeros += 1;
            if zeros > 31 {
                return None;
            }
        }
        Some((1 << zeros) - 1 + self.read(zeros)?)
    }

    /// A signed Exp-Golomb number.
    fn se(&mut self) -> Option<i64> {
        let code = self.ue()?.cast_signed();
        Some(if code % 2 == 1 {
            (code + 1) / 2
        } else {
            -(code / 2)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_golomb_codes_read_back() {
        // 1 | 010 | 011 | 00100 | 00101 -> ue 0, 1, 2, 3; se of code 4 is -2.
        let data = [0b1010_0110, 0b0100_0010, 0b1000_0000];
        let mut bits = Bits { data: &data, at: 0 };
        assert_eq!(bits.ue(), Some(0));
        assert_eq!(bits.ue(), Some(1));
        assert_eq!(bits.ue(), Some(2));
        assert_eq!(bits.ue(), Some(3));
        assert_eq!(bits.se(), Some(-2));
        assert_eq!(bits.ue(), None);
    }

    #[test]
    fn emulation_prevention_bytes_are_dropped() {
        assert_eq!(
            unescape(&[0, 0, 3, 1, 0, 0, 3, 0, 3]),
            [0, 0, 1, 0, 0, 0, 3]
        );
    }
}
