//! Property tests: no `models.json`, however broken, panics the catalog or the prices read from
//! it; a broken one is a one-line `Malformed` error, a valid one writes and reads back equal.

use proptest::prelude::*;

use super::*;
use crate::mutation::{any_bytes, config, mutated_bytes, mutated_json};

/// Parses `text` as a user catalog; one that loads is priced at every setting, written out and
/// read again.
fn check(text: &str) -> Result<(), TestCaseError> {
    let catalog = match Catalog::parse(text, "models.json", None) {
        Ok(catalog) => catalog,
        Err(err) => {
            prop_assert!(matches!(err, CatalogError::Malformed { .. }), "{err:?}");
            prop_assert!(!err.to_string().contains('\n'), "{err}");
            return Ok(());
        }
    };
    for model in catalog.models() {
        for duration_s in [0, 1, 5, 9, 10, 60, u32::MAX] {
            for resolution in ["480p", "720p", "1080p", ""] {
                let _ = catalog.quote(&model.id, duration_s, resolution);
                let _ = model.price_per_5s(duration_s, resolution);
            }
            let _ = model.wire_duration(model.nearest_duration(duration_s));
        }
    }
    let file = CatalogFile {
        schema_version: 1,
        models: catalog.models().to_vec(),
    };
    let written = serde_json::to_string_pretty(&file).unwrap();
    prop_assert_eq!(
        Catalog::parse(&written, "models.json", None).unwrap(),
        catalog
    );
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_a_malformed_catalog(bytes in any_bytes(512)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn the_catalog_with_bytes_edited_is_malformed_or_loads(
        bytes in mutated_bytes(EMBEDDED_CATALOG.as_bytes().to_vec())
    ) {
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn the_catalog_with_values_edited_is_malformed_or_loads(
        doc in mutated_json(serde_json::from_str(EMBEDDED_CATALOG).unwrap())
    ) {
        check(&doc.to_string())?;
    }
}

#[test]
fn the_embedded_catalog_writes_and_reads_back_equal() {
    check(EMBEDDED_CATALOG).unwrap();
    let file: CatalogFile = serde_json::from_str(EMBEDDED_CATALOG).unwrap();
    assert_eq!(file.models, Catalog::embedded().unwrap().models);
}
