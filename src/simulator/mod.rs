//! Embedded simulator of the fal.ai queue API and the Kie.ai jobs API (placeholder).
