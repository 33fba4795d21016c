//! Typed ids, so a clip id cannot be passed where a model id is wanted. Each is a `String`
//! underneath and saved as one (`#[serde(transparent)]`): files do not change.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// Defines a string id newtype with the conversions that keep call sites plain.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                $name(id.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

string_id!(
    /// A job's id within its session (`soap-cutting.wan25`, `.2` for a later attempt).
    ClipId
);
string_id!(
    /// A prompt's id (`soap-cutting`).
    PromptId
);
string_id!(
    /// A catalog model's id (`wan25`).
    ModelId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_saved_as_plain_strings_and_compare_with_text() {
        let id = ClipId::from("soap.wan25");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"soap.wan25\"");
        let back: ClipId = serde_json::from_str("\"soap.wan25\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id, "soap.wan25");
        assert_eq!(id.to_string(), "soap.wan25");
        let map = std::collections::BTreeMap::from([(ModelId::from("wan25"), 1)]);
        assert_eq!(map.get("wan25"), Some(&1));
    }
}
