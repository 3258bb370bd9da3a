//! The CBV 2.0 standard vocabularies and their Web URIs.
//!
//! EPCIS 2.0 JSON writes standard values as bare words (`"shipping"`); the JSON-LD context expands
//! them to `https://ref.gs1.org/cbv/BizStep-shipping`. The event hash, the query language and stored
//! indexes all need the expanded form, while forms and pages show the bare word, so both directions
//! live here. The lists are the enums of the GS1 JSON Schema (`data/EPCIS-JSON-Schema.json`), which
//! match the CBV 2.0 standard vocabularies.

/// CBV 2.0 business steps (41).
pub const BIZ_STEPS: [&str; 41] = [
    "accepting",
    "arriving",
    "assembling",
    "collecting",
    "commissioning",
    "consigning",
    "creating_class_instance",
    "cycle_counting",
    "decommissioning",
    "departing",
    "destroying",
    "disassembling",
    "dispensing",
    "encoding",
    "entering_exiting",
    "holding",
    "inspecting",
    "installing",
    "killing",
    "loading",
    "other",
    "packing",
    "picking",
    "receiving",
    "removing",
    "repackaging",
    "repairing",
    "replacing",
    "reserving",
    "retail_selling",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
    "sensor_reporting",
    "sampling",
];

/// CBV 2.0 dispositions (33).
pub const DISPOSITIONS: [&str; 33] = [
    "active",
    "container_closed",
    "damaged",
    "destroyed",
    "dispensed",
    "disposed",
    "encoded",
    "expired",
    "in_progress",
    "in_transit",
    "inactive",
    "no_pedigree_match",
    "non_sellable_other",
    "partially_dispensed",
    "recalled",
    "reserved",
    "retail_sold",
    "returned",
    "sellable_accessible",
    "sellable_not_accessible",
    "stolen",
    "unknown",
    "available",
    "completeness_verified",
    "completeness_inferred",
    "conformant",
    "container_open",
    "mismatch_instance",
    "mismatch_class",
    "mismatch_quantity",
    "needs_replacement",
    "non_conformant",
    "unavailable",
];

/// CBV 2.0 business transaction types (13).
pub const BIZ_TRANSACTION_TYPES: [&str; 13] = [
    "bol",
    "cert",
    "desadv",
    "inv",
    "pedigree",
    "po",
    "poc",
    "prodorder",
    "recadv",
    "rma",
    "testprd",
    "testres",
    "upevt",
];

/// CBV 2.0 source/destination types.
pub const SOURCE_DEST_TYPES: [&str; 3] = ["owning_party", "possessing_party", "location"];

/// CBV 2.0 error reasons of an `errorDeclaration`.
pub const ERROR_REASONS: [&str; 2] = ["did_not_occur", "incorrect_data"];

/// Sensor alert types (`sensorReport.exception`); GS1 Web Vocabulary terms.
pub const SENSOR_ALERT_TYPES: [&str; 2] = ["ALARM_CONDITION", "ERROR_CONDITION"];

/// CBV 2.0 components of a sensor value (coordinates).
pub const COMPONENTS: [&str; 14] = [
    "x",
    "y",
    "z",
    "axial_distance",
    "azimuth",
    "height",
    "spherical_radius",
    "polar_angle",
    "elevation_angle",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "altitude",
];

/// Measurement types (`sensorReport.type`) of the GS1 Web Vocabulary (72, as in the schema enum).
pub const MEASUREMENT_TYPES: [&str; 72] = [
    "AbsoluteHumidity",
    "AbsorbedDose",
    "AbsorbedDoseRate",
    "Acceleration",
    "Radioactivity",
    "Altitude",
    "AmountOfSubstance",
    "AmountOfSubstancePerUnitVolume",
    "Angle",
    "AngularAcceleration",
    "AngularMomentum",
    "AngularVelocity",
    "Area",
    "Capacitance",
    "Conductance",
    "Conductivity",
    "Count",
    "Density",
    "Dimensionless",
    "DoseEquivalent",
    "DoseEquivalentRate",
    "DynamicViscosity",
    "ElectricCharge",
    "ElectricCurrent",
    "ElectricCurrentDensity",
    "ElectricFieldStrength",
    "Energy",
    "Exposure",
    "Force",
    "Frequency",
    "Illuminance",
    "Inductance",
    "Irradiance",
    "KinematicViscosity",
    "Length",
    "LinearMomentum",
    "Luminance",
    "LuminousFlux",
    "LuminousIntensity",
    "MagneticFlux",
    "MagneticFluxDensity",
    "MagneticVectorPotential",
    "Mass",
    "MassConcentration",
    "MassFlowRate",
    "MassPerAreaTime",
    "MemoryCapacity",
    "MolalityOfSolute",
    "MolarEnergy",
    "MolarMass",
    "MolarVolume",
    "Power",
    "Pressure",
    "RadiantFlux",
    "RadiantIntensity",
    "RelativeHumidity",
    "Resistance",
    "Resistivity",
    "SolidAngle",
    "SpecificVolume",
    "Speed",
    "SurfaceDensity",
    "SurfaceTension",
    "Temperature",
    "Time",
    "Torque",
    "Voltage",
    "Volume",
    "VolumeFlowRate",
    "VolumeFraction",
    "VolumetricFlux",
    "Wavenumber",
];

/// Base of the CBV 2.0 Web URIs (`cbv:` in the GS1 context).
pub const CBV_BASE: &str = "https://ref.gs1.org/cbv/";
/// Base of the GS1 Web Vocabulary (`gs1:` in the GS1 context).
pub const GS1_VOC_BASE: &str = "https://gs1.org/voc/";

/// One standard vocabulary: how its bare words are spelled as Web URIs and as CBV 1.x URNs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vocabulary {
    /// The bare words a JSON document may use.
    pub words: &'static [&'static str],
    /// Web URI prefix, e.g. `https://ref.gs1.org/cbv/BizStep-`.
    pub uri_prefix: &'static str,
    /// The XML-era URN prefix, e.g. `urn:epcglobal:cbv:bizstep:`; the hash maps it to the Web URI.
    pub urn_prefix: Option<&'static str>,
}

pub const BIZ_STEP: Vocabulary = Vocabulary {
    words: &BIZ_STEPS,
    uri_prefix: "https://ref.gs1.org/cbv/BizStep-",
    urn_prefix: Some("urn:epcglobal:cbv:bizstep:"),
};
pub const DISPOSITION: Vocabulary = Vocabulary {
    words: &DISPOSITIONS,
    uri_prefix: "https://ref.gs1.org/cbv/Disp-",
    urn_prefix: Some("urn:epcglobal:cbv:disp:"),
};
pub const BIZ_TRANSACTION_TYPE: Vocabulary = Vocabulary {
    words: &BIZ_TRANSACTION_TYPES,
    uri_prefix: "https://ref.gs1.org/cbv/BTT-",
    urn_prefix: Some("urn:epcglobal:cbv:btt:"),
};
pub const SOURCE_DEST_TYPE: Vocabulary = Vocabulary {
    words: &SOURCE_DEST_TYPES,
    uri_prefix: "https://ref.gs1.org/cbv/SDT-",
    urn_prefix: Some("urn:epcglobal:cbv:sdt:"),
};
pub const ERROR_REASON: Vocabulary = Vocabulary {
    words: &ERROR_REASONS,
    uri_prefix: "https://ref.gs1.org/cbv/ER-",
    urn_prefix: Some("urn:epcglobal:cbv:er:"),
};
pub const COMPONENT: Vocabulary =
    Vocabulary { words: &COMPONENTS, uri_prefix: "https://ref.gs1.org/cbv/Comp-", urn_prefix: None };
pub const MEASUREMENT_TYPE: Vocabulary =
    Vocabulary { words: &MEASUREMENT_TYPES, uri_prefix: GS1_VOC_BASE, urn_prefix: None };
pub const SENSOR_ALERT_TYPE: Vocabulary =
    Vocabulary { words: &SENSOR_ALERT_TYPES, uri_prefix: GS1_VOC_BASE, urn_prefix: None };

/// The vocabularies whose URN spelling the hash rewrites wherever it appears (CBV 2.0 event hash: a
/// value captured from EPCIS 1.x XML must hash like its 2.0 JSON twin).
pub(crate) const URN_VOCABULARIES: [Vocabulary; 5] =
    [BIZ_STEP, DISPOSITION, BIZ_TRANSACTION_TYPE, SOURCE_DEST_TYPE, ERROR_REASON];

impl Vocabulary {
    /// Whether `word` is one of the standard bare words.
    #[must_use]
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(&word)
    }

    /// The Web URI of a bare word; does not check that the word is standard.
    #[must_use]
    pub fn uri(&self, bare: &str) -> String {
        format!("{}{bare}", self.uri_prefix)
    }

    /// The canonical full URI of a value as it may appear in a document or query: a standard bare
    /// word, the Web URI itself, or the CBV 1.x URN. Anything else (a custom URI or CURIE) is
    /// returned unchanged, because custom vocabularies are allowed in CBV 2.0.
    #[must_use]
    pub fn canonical(&self, value: &str) -> String {
        if self.contains(value) {
            return self.uri(value);
        }
        if let Some(word) = self.urn_prefix.and_then(|p| value.strip_prefix(p)) {
            return self.uri(word);
        }
        value.to_owned()
    }

    /// The bare word of a standard value given in any of the forms [`Self::canonical`] accepts;
    /// `None` for custom values. Forms show this instead of the long URI.
    #[must_use]
    pub fn bare<'a>(&self, value: &'a str) -> Option<&'a str> {
        let word = if self.contains(value) {
            value
        } else if let Some(w) = value.strip_prefix(self.uri_prefix) {
            w
        } else {
            self.urn_prefix.and_then(|p| value.strip_prefix(p))?
        };
        self.contains(word).then_some(word)
    }
}

/// `https://ref.gs1.org/cbv/BizStep-<bare>`.
#[must_use]
pub fn bizstep_uri(bare: &str) -> String {
    BIZ_STEP.uri(bare)
}

/// `https://ref.gs1.org/cbv/Disp-<bare>`.
#[must_use]
pub fn disposition_uri(bare: &str) -> String {
    DISPOSITION.uri(bare)
}

/// `https://ref.gs1.org/cbv/BTT-<bare>`.
#[must_use]
pub fn biz_transaction_type_uri(bare: &str) -> String {
    BIZ_TRANSACTION_TYPE.uri(bare)
}

/// `https://ref.gs1.org/cbv/SDT-<bare>`.
#[must_use]
pub fn source_dest_type_uri(bare: &str) -> String {
    SOURCE_DEST_TYPE.uri(bare)
}

/// `https://ref.gs1.org/cbv/ER-<bare>`.
#[must_use]
pub fn error_reason_uri(bare: &str) -> String {
    ERROR_REASON.uri(bare)
}

/// `https://gs1.org/voc/<Name>` for a measurement type such as `Temperature`.
#[must_use]
pub fn measurement_type_uri(bare: &str) -> String {
    MEASUREMENT_TYPE.uri(bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_sizes_match_cbv_2_0() {
        assert_eq!(BIZ_STEPS.len(), 41);
        assert_eq!(DISPOSITIONS.len(), 33);
        assert_eq!(BIZ_TRANSACTION_TYPES.len(), 13);
    }

    #[test]
    fn bare_words_expand_to_web_uris() {
        assert_eq!(bizstep_uri("shipping"), "https://ref.gs1.org/cbv/BizStep-shipping");
        assert_eq!(disposition_uri("in_transit"), "https://ref.gs1.org/cbv/Disp-in_transit");
        assert_eq!(biz_transaction_type_uri("po"), "https://ref.gs1.org/cbv/BTT-po");
        assert_eq!(source_dest_type_uri("owning_party"), "https://ref.gs1.org/cbv/SDT-owning_party");
        assert_eq!(error_reason_uri("did_not_occur"), "https://ref.gs1.org/cbv/ER-did_not_occur");
        assert_eq!(measurement_type_uri("Temperature"), "https://gs1.org/voc/Temperature");
    }

    #[test]
    fn canonical_accepts_word_uri_and_urn_but_keeps_custom_values() {
        let full = "https://ref.gs1.org/cbv/BizStep-receiving";
        assert_eq!(BIZ_STEP.canonical("receiving"), full);
        assert_eq!(BIZ_STEP.canonical(full), full);
        assert_eq!(BIZ_STEP.canonical("urn:epcglobal:cbv:bizstep:receiving"), full);
        assert_eq!(BIZ_STEP.canonical("qh:grazing"), "qh:grazing");
        assert_eq!(BIZ_STEP.bare(full), Some("receiving"));
        assert_eq!(BIZ_STEP.bare("https://ref.gs1.org/cbv/BizStep-nonsense"), None);
        assert_eq!(DISPOSITION.bare("recalled"), Some("recalled"));
    }
}
