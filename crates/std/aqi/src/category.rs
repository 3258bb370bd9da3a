//! AQI levels, categories and colours — identical in HJ 633-2012 (Table 2, Appendix A) and
//! HJ 633-2026 (Table 1, Appendix A).

use serde::Serialize;

/// The display colour of a level, as the standard's Appendix A gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Colour {
    /// Chinese name, e.g. `绿色`.
    pub name: &'static str,
    /// English name, e.g. `green`.
    pub name_en: &'static str,
    /// `#RRGGBB`, upper case.
    pub hex: &'static str,
    /// R, G, B.
    pub rgb: [u8; 3],
    /// C, M, Y, K in percent.
    pub cmyk: [u8; 4],
}

/// One row of the category table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Category {
    /// 1–6 (一级 … 六级).
    pub level: u8,
    /// Lowest AQI of the level (the formula can give 0; HJ 633-2026 states the range as 1–500).
    pub min_aqi: u32,
    /// Highest AQI of the level; `None` for level 6 (> 300).
    pub max_aqi: Option<u32>,
    /// Level name, e.g. `一级`.
    pub level_zh: &'static str,
    /// Category, e.g. `优`.
    pub category: &'static str,
    /// Category in English, e.g. `Excellent`.
    pub category_en: &'static str,
    /// Display colour.
    pub colour: Colour,
}

const fn colour(name: &'static str, name_en: &'static str, hex: &'static str, rgb: [u8; 3], cmyk: [u8; 4]) -> Colour {
    Colour { name, name_en, hex, rgb, cmyk }
}

/// The six levels, best first.
pub const CATEGORIES: [Category; 6] = [
    Category {
        level: 1,
        min_aqi: 0,
        max_aqi: Some(50),
        level_zh: "一级",
        category: "优",
        category_en: "Excellent",
        colour: colour("绿色", "green", "#00E400", [0, 228, 0], [40, 0, 100, 0]),
    },
    Category {
        level: 2,
        min_aqi: 51,
        max_aqi: Some(100),
        level_zh: "二级",
        category: "良",
        category_en: "Good",
        colour: colour("黄色", "yellow", "#FFFF00", [255, 255, 0], [0, 0, 100, 0]),
    },
    Category {
        level: 3,
        min_aqi: 101,
        max_aqi: Some(150),
        level_zh: "三级",
        category: "轻度污染",
        category_en: "Lightly polluted",
        colour: colour("橙色", "orange", "#FF7E00", [255, 126, 0], [0, 52, 100, 0]),
    },
    Category {
        level: 4,
        min_aqi: 151,
        max_aqi: Some(200),
        level_zh: "四级",
        category: "中度污染",
        category_en: "Moderately polluted",
        colour: colour("红色", "red", "#FF0000", [255, 0, 0], [0, 100, 100, 0]),
    },
    Category {
        level: 5,
        min_aqi: 201,
        max_aqi: Some(300),
        level_zh: "五级",
        category: "重度污染",
        category_en: "Heavily polluted",
        colour: colour("紫色", "purple", "#99004C", [153, 0, 76], [10, 100, 40, 30]),
    },
    Category {
        level: 6,
        min_aqi: 301,
        max_aqi: None,
        level_zh: "六级",
        category: "严重污染",
        category_en: "Severely polluted",
        colour: colour("褐红色", "maroon", "#7E0023", [126, 0, 35], [30, 100, 100, 30]),
    },
];

impl Category {
    /// The category of an AQI value.
    #[must_use]
    pub fn for_aqi(aqi: u32) -> &'static Category {
        let i = match aqi {
            0..=50 => 0,
            51..=100 => 1,
            101..=150 => 2,
            151..=200 => 3,
            201..=300 => 4,
            _ => 5,
        };
        &CATEGORIES[i]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        let lv = |a| Category::for_aqi(a).level;
        assert_eq!((lv(0), lv(50), lv(51), lv(100), lv(101)), (1, 1, 2, 2, 3));
        assert_eq!((lv(150), lv(151), lv(200), lv(201), lv(300), lv(301), lv(500)), (3, 4, 4, 5, 5, 6, 6));
        for c in &CATEGORIES {
            assert_eq!(Category::for_aqi(c.min_aqi).level, c.level);
            assert_eq!(Category::for_aqi(c.max_aqi.unwrap_or(u32::MAX)).level, c.level);
        }
    }
}
