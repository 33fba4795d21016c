//! `clipbench models`: one line per model, id first.

use std::io::Write;

use crate::catalog::Catalog;
use crate::config::Config;

/// The comparison defaults the listed price is quoted at (5 s, 720p).
const LIST_DURATION_S: u32 = 5;
const LIST_RESOLUTION: &str = "720p";

/// Prints id, name, provider, price of a 5 s clip at 720p, price source and key state.
///
/// # Errors
/// When writing fails.
pub fn print_models(
    catalog: &Catalog,
    config: &Config,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let name_width = catalog
        .models()
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(0);
    let id_width = catalog
        .models()
        .iter()
        .map(|m| m.id.len())
        .max()
        .unwrap_or(0);
    for model in catalog.models() {
        let price = model
            .price(LIST_DURATION_S, LIST_RESOLUTION)
            .map_or_else(|err| format!("n/a ({err})"), |usd| format!("${usd:.2}"));
        let variable = model.provider.key_variable();
        let key = if config.key_for(model.provider).is_some() {
            format!("{variable} set")
        } else {
            format!("{variable} not set")
        };
        writeln!(
            out,
            "{:<id_width$}  {:<name_width$}  {:<3}  {price}  {}  {key}",
            model.id, model.name, model.provider, model.price_source
        )?;
    }
    Ok(())
}
