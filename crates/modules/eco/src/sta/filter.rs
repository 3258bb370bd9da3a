//! The OData expression language of SensorThings `$filter` and `$orderby`: a lexer and a
//! recursive-descent parser producing an [`Expr`] tree. Translation to SQL lives in the
//! store (`store::sta`); nothing here knows about tables.
//!
//! Precedence, loosest first: `or`, `and`, `not`, comparisons (`eq ne gt ge lt le`),
//! `add sub`, `mul div mod`, unary `-`, primaries (literals, property paths, function calls,
//! parentheses). Every failure is a 400 problem `sta.invalid_filter` naming the position.

use qy_kernel::Error;

/// Deepest nesting accepted (parentheses, `not`, unary minus): bounds recursion on hostile input.
const MAX_DEPTH: usize = 64;
/// Longest expression accepted, in bytes.
pub const MAX_LEN: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Lit(Lit),
    /// A property path: `name`, `properties/mn`, `Datastream/Thing/name`.
    Prop(Vec<String>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// An instant, epoch ms UTC.
    Time(i64),
    /// An interval `start/end`, epoch ms UTC.
    Interval(i64, i64),
    /// `duration'P1DT2H'`, in ms.
    Duration(i64),
    /// A time of day `10:30:00`, ms since midnight (compared with `time(…)`).
    TimeOfDay(i64),
    Geo(Geometry),
}

/// WKT geometries in `geography'…'` literals (longitude first, as in GeoJSON).
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Point(f64, f64),
    /// Rings: the first is the shell, others are holes; each ring closed.
    Polygon(Vec<Vec<(f64, f64)>>),
    LineString(Vec<(f64, f64)>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinOp {
    pub fn is_comparison(self) -> bool {
        matches!(self, Self::Eq | Self::Ne | Self::Gt | Self::Ge | Self::Lt | Self::Le)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    SubstringOf,
    EndsWith,
    StartsWith,
    Contains,
    Length,
    IndexOf,
    Substring,
    ToLower,
    ToUpper,
    Trim,
    Concat,
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    FractionalSeconds,
    Date,
    TotalOffsetMinutes,
    Now,
    MinDateTime,
    MaxDateTime,
    Round,
    Floor,
    Ceiling,
    GeoDistance,
    GeoLength,
    GeoIntersects,
    StEquals,
    StDisjoint,
    StTouches,
    StWithin,
    StOverlaps,
    StCrosses,
    StIntersects,
    StContains,
    StRelate,
    Time,
}

impl Func {
    fn parse(name: &str) -> Option<(Self, usize, usize)> {
        use Func::*;
        // (function, min args, max args)
        Some(match name.to_ascii_lowercase().as_str() {
            "substringof" => (SubstringOf, 2, 2),
            "endswith" => (EndsWith, 2, 2),
            "startswith" => (StartsWith, 2, 2),
            "contains" => (Contains, 2, 2),
            "length" => (Length, 1, 1),
            "indexof" => (IndexOf, 2, 2),
            "substring" => (Substring, 2, 3),
            "tolower" => (ToLower, 1, 1),
            "toupper" => (ToUpper, 1, 1),
            "trim" => (Trim, 1, 1),
            "concat" => (Concat, 2, 2),
            "year" => (Year, 1, 1),
            "month" => (Month, 1, 1),
            "day" => (Day, 1, 1),
            "hour" => (Hour, 1, 1),
            "minute" => (Minute, 1, 1),
            "second" => (Second, 1, 1),
            "fractionalseconds" => (FractionalSeconds, 1, 1),
            "date" => (Date, 1, 1),
            "time" => (Time, 1, 1),
            "totaloffsetminutes" => (TotalOffsetMinutes, 1, 1),
            "now" => (Now, 0, 0),
            "mindatetime" => (MinDateTime, 1, 1),
            "maxdatetime" => (MaxDateTime, 1, 1),
            "round" => (Round, 1, 1),
            "floor" => (Floor, 1, 1),
            "ceiling" => (Ceiling, 1, 1),
            "geo.distance" => (GeoDistance, 2, 2),
            "geo.length" => (GeoLength, 1, 1),
            "geo.intersects" => (GeoIntersects, 2, 2),
            "st_equals" => (StEquals, 2, 2),
            "st_disjoint" => (StDisjoint, 2, 2),
            "st_touches" => (StTouches, 2, 2),
            "st_within" => (StWithin, 2, 2),
            "st_overlaps" => (StOverlaps, 2, 2),
            "st_crosses" => (StCrosses, 2, 2),
            "st_intersects" => (StIntersects, 2, 2),
            "st_contains" => (StContains, 2, 2),
            "st_relate" => (StRelate, 3, 3),
            _ => return None,
        })
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::bad_request("sta.invalid_filter", detail.into())
}

// ---- lexer --------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Lit(Lit),
    LParen,
    RParen,
    Comma,
    Minus,
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, Error> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            b'(' => {
                out.push((start, Tok::LParen));
                i += 1;
            }
            b')' => {
                out.push((start, Tok::RParen));
                i += 1;
            }
            b',' => {
                out.push((start, Tok::Comma));
                i += 1;
            }
            b'\'' => {
                let (s, next) = string_at(src, i)?;
                out.push((start, Tok::Lit(Lit::Str(s))));
                i = next;
            }
            b'-' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                out.push((start, Tok::Minus));
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let (lit, next) = number_or_time(src, i)?;
                out.push((start, Tok::Lit(lit)));
                i = next;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'@' || c == b'$' => {
                let mut j = i;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'_' | b'@' | b'.' | b'/' | b'$'))
                {
                    j += 1;
                }
                let word = &src[i..j];
                // Typed literals: duration'…', geography'…', geometry'…'.
                if b.get(j) == Some(&b'\'') {
                    let (text, next) = string_at(src, j)?;
                    let lit = match word.to_ascii_lowercase().as_str() {
                        "duration" => Lit::Duration(parse_duration(&text).ok_or_else(|| {
                            invalid(format!("{text:?} is not an ISO 8601 duration such as P1DT2H (at {start})"))
                        })?),
                        "geography" | "geometry" => Lit::Geo(parse_wkt(&text).ok_or_else(|| {
                            invalid(format!(
                                "{text:?} is not a WKT POINT, LINESTRING or POLYGON in longitude-latitude order (at {start})"
                            ))
                        })?),
                        _ => return Err(invalid(format!("unknown typed literal {word}'…' at {start}"))),
                    };
                    out.push((start, Tok::Lit(lit)));
                    i = next;
                } else {
                    out.push((start, Tok::Ident(word.to_owned())));
                    i = j;
                }
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(invalid(format!("unexpected character {ch:?} at {start}")));
            }
        }
    }
    Ok(out)
}

/// A quoted string starting at `i` (`'` doubled inside); returns the text and the next index.
fn string_at(src: &str, i: usize) -> Result<(String, usize), Error> {
    let mut out = String::new();
    let mut chars = src[i + 1..].char_indices();
    while let Some((k, ch)) = chars.next() {
        if ch == '\'' {
            if src[i + 1 + k + 1..].starts_with('\'') {
                out.push('\'');
                chars.next();
            } else {
                return Ok((out, i + 1 + k + 1));
            }
        } else {
            out.push(ch);
        }
    }
    Err(invalid(format!("unterminated string starting at {i}")))
}

fn number_or_time(src: &str, i: usize) -> Result<(Lit, usize), Error> {
    let b = src.as_bytes();
    // Dates and times: 4 digits then '-' then a digit.
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    // Times of day: hh:mm[:ss[.fff]].
    if digits == 2 && b.get(i + 2) == Some(&b':') {
        let mut j = i;
        while j < b.len() && (b[j].is_ascii_digit() || matches!(b[j], b':' | b'.')) {
            j += 1;
        }
        let text = &src[i..j];
        let ms = parse_time(&format!("1970-01-01T{text}Z"))
            .filter(|ms| *ms < 86_400_000)
            .ok_or_else(|| invalid(format!("{text:?} is not a time of day hh:mm:ss (at {i})")))?;
        return Ok((Lit::TimeOfDay(ms), j));
    }
    if digits == 4 && b.get(i + 4) == Some(&b'-') && b.get(i + 5).is_some_and(u8::is_ascii_digit) {
        let mut j = i;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b':' | b'.' | b'-' | b'+' | b'/')) {
            j += 1;
        }
        // An unencoded '+' in a query string arrives as a space: `…T10:00:00 08:00`.
        let mut text = src[i..j].to_owned();
        if b.get(j) == Some(&b' ') && is_offset(b.get(j + 1..j + 6)) && text.contains('T') && !text.ends_with('Z') {
            text.push('+');
            text.push_str(&src[j + 1..j + 6]);
            j += 6;
        }
        let lit = match text.split_once('/') {
            Some((a, z)) => match (parse_time(a), parse_time(z)) {
                (Some(a), Some(z)) if a <= z => Lit::Interval(a, z),
                _ => return Err(invalid(format!("{text:?} is not an ISO 8601 interval (at {i})"))),
            },
            None => Lit::Time(
                parse_time(&text)
                    .ok_or_else(|| invalid(format!("{text:?} is not an ISO 8601 date or time (at {i})")))?,
            ),
        };
        return Ok((lit, j));
    }
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
        j += 1;
    }
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        j += 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
    }
    // OData type suffixes (1.5M, 2.0d, 3L) are accepted and ignored.
    if j < b.len()
        && matches!(b[j], b'd' | b'D' | b'f' | b'F' | b'm' | b'M' | b'l' | b'L')
        && !b.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric())
    {
        let n: f64 = src[i..j].parse().map_err(|_| invalid(format!("bad number at {i}")))?;
        return Ok((Lit::Num(n), j + 1));
    }
    let text = &src[i..j];
    let n: f64 = text.parse().map_err(|_| invalid(format!("{text:?} is not a number (at {i})")))?;
    if !n.is_finite() {
        return Err(invalid(format!("{text:?} is out of range (at {i})")));
    }
    Ok((Lit::Num(n), j))
}

fn is_offset(b: Option<&[u8]>) -> bool {
    matches!(b, Some([h1, h2, b':', m1, m2]) if h1.is_ascii_digit() && h2.is_ascii_digit() && m1.is_ascii_digit() && m2.is_ascii_digit())
}

// ---- times --------------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ISO 8601 date or date-time → epoch ms UTC. Dates are midnight UTC; a date-time without
/// an offset is taken as UTC.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |t: &str| -> Option<i64> {
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (date, rest) = match s.find(['T', 't']) {
        Some(k) => (&s[..k], Some(&s[k + 1..])),
        None => (s, None),
    };
    let mut dp = date.split('-');
    let (y, m, d) = (num(dp.next()?)?, num(dp.next()?)?, num(dp.next()?)?);
    if dp.next().is_some() || date.len() != 10 || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if civil_from_days(days) != (y, m, d) {
        return None;
    }
    let mut ms = days * 86_400_000;
    let Some(rest) = rest else { return Some(ms) };
    let (clock, offset_ms) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(k) = rest.rfind(['+', '-']) {
        let (c, off) = rest.split_at(k);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = &off[1..];
        let (oh, om) = off.split_once(':').unwrap_or((off.get(..2)?, off.get(2..).unwrap_or("0")));
        let (oh, om) = (num(oh)?, if om.is_empty() { 0 } else { num(om)? });
        if oh > 23 || om > 59 {
            return None;
        }
        (c, sign * (oh * 3_600_000 + om * 60_000))
    } else {
        (rest, 0)
    };
    let mut cp = clock.split(':');
    let h = num(cp.next()?)?;
    let mi = num(cp.next()?)?;
    let (sec, frac) = match cp.next() {
        Some(sf) => match sf.split_once(['.', ',']) {
            Some((s, f)) => (num(s)?, {
                num(f)?;
                let f3: String = f.chars().chain(std::iter::repeat('0')).take(3).collect();
                num(&f3)?
            }),
            None => (num(sf)?, 0),
        },
        None => (0, 0),
    };
    if cp.next().is_some() || h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi, sec, frac) != (0, 0, 0)) {
        return None;
    }
    ms += h * 3_600_000 + mi * 60_000 + sec * 1000 + frac - offset_ms;
    Some(ms)
}

/// Epoch ms → `2026-01-15T01:00:00Z` (milliseconds shown only when not zero).
pub fn format_time(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, f) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    if f == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{f:03}Z")
    }
}

/// `P1DT2H30M`, `PT15M`, `P1W` → ms (years and months are not fixed lengths: refused).
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.strip_prefix(['P', 'p'])?;
    let (date, time) = match s.find(['T', 't']) {
        Some(k) => (&s[..k], Some(&s[k + 1..])),
        None => (s, None),
    };
    let mut total: i64 = 0;
    let mut any = false;
    let mut scan = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut num = String::new();
        for ch in part.chars() {
            if ch.is_ascii_digit() || ch == '.' {
                num.push(ch);
            } else {
                let unit = units.iter().find(|(u, _)| u.eq_ignore_ascii_case(&ch))?.1;
                let v: f64 = num.parse().ok()?;
                let ms = v * unit as f64;
                if !(0.0..=3.2e15).contains(&ms) {
                    return None;
                }
                total = total.checked_add(ms as i64)?;
                num.clear();
                any = true;
            }
        }
        num.is_empty().then_some(())
    };
    scan(date, &[('W', 604_800_000), ('D', 86_400_000)])?;
    if let Some(t) = time {
        scan(t, &[('H', 3_600_000), ('M', 60_000), ('S', 1000)])?;
    }
    // About 100,000 years: time arithmetic can never overflow a BIGINT.
    (any && total <= 3_200_000_000_000_000).then_some(total)
}

// ---- WKT ----------------------------------------------------------------------------------

fn parse_wkt(s: &str) -> Option<Geometry> {
    let s = s.trim();
    let open = s.find('(')?;
    let kind = s[..open].trim().to_ascii_uppercase();
    let body = s[open..].trim();
    let inner = body.strip_prefix('(')?.strip_suffix(')')?;
    let coords = |t: &str| -> Option<Vec<(f64, f64)>> {
        t.split(',')
            .map(|p| {
                let mut it = p.split_whitespace();
                let x: f64 = it.next()?.parse().ok()?;
                let y: f64 = it.next()?.parse().ok()?;
                (x.is_finite() && y.is_finite() && x.abs() <= 1000.0 && y.abs() <= 1000.0).then_some((x, y))
            })
            .collect()
    };
    match kind.as_str() {
        "POINT" => {
            let c = coords(inner)?;
            (c.len() == 1).then(|| Geometry::Point(c[0].0, c[0].1))
        }
        "LINESTRING" => {
            let c = coords(inner)?;
            (c.len() >= 2 && c.len() <= 1000).then_some(Geometry::LineString(c))
        }
        "POLYGON" => {
            let mut rings = Vec::new();
            let mut rest = inner.trim();
            while !rest.is_empty() {
                let r = rest.strip_prefix('(')?;
                let close = r.find(')')?;
                let ring = coords(&r[..close])?;
                if ring.len() < 4 || ring.first() != ring.last() || ring.len() > 1000 {
                    return None;
                }
                rings.push(ring);
                rest = r[close + 1..].trim_start();
                rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
            }
            (!rings.is_empty() && rings.len() <= 20).then_some(Geometry::Polygon(rings))
        }
        _ => None,
    }
}

// ---- parser -------------------------------------------------------------------------------

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    depth: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|(p, _)| *p).unwrap_or(self.len)
    }
    fn keyword(&self) -> Option<String> {
        match self.peek() {
            Some(Tok::Ident(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }
    fn deeper(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(invalid("the expression is nested too deeply"));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, Error> {
        let mut left = self.and()?;
        while self.keyword().as_deref() == Some("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Bin(BinOp::Or, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, Error> {
        let mut left = self.not()?;
        while self.keyword().as_deref() == Some("and") {
            self.pos += 1;
            let right = self.not()?;
            left = Expr::Bin(BinOp::And, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, Error> {
        if self.keyword().as_deref() == Some("not")
            && self.toks.get(self.pos + 1).is_some_and(|(_, t)| *t != Tok::Comma)
        {
            self.pos += 1;
            self.deeper()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, Error> {
        let mut left = self.additive()?;
        loop {
            let op = match self.keyword().as_deref() {
                Some("eq") => BinOp::Eq,
                Some("ne") => BinOp::Ne,
                Some("gt") => BinOp::Gt,
                Some("ge") => BinOp::Ge,
                Some("lt") => BinOp::Lt,
                Some("le") => BinOp::Le,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.additive()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
    }

    fn additive(&mut self) -> Result<Expr, Error> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.keyword().as_deref() {
                Some("add") => BinOp::Add,
                Some("sub") => BinOp::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.multiplicative()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, Error> {
        let mut left = self.unary()?;
        loop {
            let op = match self.keyword().as_deref() {
                Some("mul") => BinOp::Mul,
                Some("div") => BinOp::Div,
                Some("mod") => BinOp::Mod,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Expr, Error> {
        if self.peek() == Some(&Tok::Minus) {
            self.pos += 1;
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(match inner {
                Expr::Lit(Lit::Num(n)) => Expr::Lit(Lit::Num(-n)),
                e => Expr::Neg(Box::new(e)),
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, Error> {
        let at = self.at();
        let Some(tok) = self.peek().cloned() else {
            return Err(invalid(format!("the expression ends too early (at {at})")));
        };
        self.pos += 1;
        match tok {
            Tok::LParen => {
                self.deeper()?;
                let e = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(invalid(format!("expected ')' at {}", self.at())));
                }
                self.pos += 1;
                Ok(e)
            }
            Tok::Lit(l) => Ok(Expr::Lit(l)),
            Tok::Ident(word) => {
                if self.peek() == Some(&Tok::LParen) {
                    let Some((func, min, max)) = Func::parse(&word) else {
                        return Err(invalid(format!("unknown function {word}() at {at}")));
                    };
                    self.pos += 1;
                    let mut args = Vec::new();
                    if self.peek() == Some(&Tok::RParen) {
                        self.pos += 1;
                    } else {
                        loop {
                            self.deeper()?;
                            args.push(self.or()?);
                            self.depth -= 1;
                            match self.peek() {
                                Some(Tok::Comma) => self.pos += 1,
                                Some(Tok::RParen) => {
                                    self.pos += 1;
                                    break;
                                }
                                _ => return Err(invalid(format!("expected ',' or ')' at {}", self.at()))),
                            }
                        }
                    }
                    if args.len() < min || args.len() > max {
                        return Err(invalid(format!(
                            "{word}() takes {min}–{max} arguments, got {} (at {at})",
                            args.len()
                        )));
                    }
                    return Ok(Expr::Call(func, args));
                }
                match word.to_ascii_lowercase().as_str() {
                    "true" => return Ok(Expr::Lit(Lit::Bool(true))),
                    "false" => return Ok(Expr::Lit(Lit::Bool(false))),
                    "null" => return Ok(Expr::Lit(Lit::Null)),
                    "and" | "or" | "not" | "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "add" | "sub" | "mul" | "div"
                    | "mod" => return Err(invalid(format!("unexpected operator {word} at {at}"))),
                    _ => {}
                }
                let path: Vec<String> = word.split('/').map(str::to_owned).collect();
                if path.iter().any(String::is_empty) {
                    return Err(invalid(format!("{word:?} is not a property path (at {at})")));
                }
                Ok(Expr::Prop(path))
            }
            Tok::RParen | Tok::Comma | Tok::Minus => Err(invalid(format!("unexpected token at {at}"))),
        }
    }
}

fn parser(src: &str) -> Result<Parser, Error> {
    if src.len() > MAX_LEN {
        return Err(invalid(format!("expressions are limited to {MAX_LEN} bytes")));
    }
    Ok(Parser { toks: lex(src)?, pos: 0, depth: 0, len: src.len() })
}

/// Parses a `$filter` expression.
pub fn parse(src: &str) -> Result<Expr, Error> {
    let mut p = parser(src)?;
    if p.toks.is_empty() {
        return Err(invalid("$filter is empty"));
    }
    let e = p.or()?;
    if p.pos != p.toks.len() {
        return Err(invalid(format!("unexpected input at {}", p.at())));
    }
    Ok(e)
}

/// Parses one `$orderby` item: an expression and an optional `asc`/`desc`. `true` = descending.
pub fn parse_order_item(src: &str) -> Result<(Expr, bool), Error> {
    let mut p = parser(src)?;
    if p.toks.is_empty() {
        return Err(Error::bad_request("sta.invalid_query", "an empty $orderby item"));
    }
    let e = p.additive()?;
    let desc = match p.keyword().as_deref() {
        Some("desc") => {
            p.pos += 1;
            true
        }
        Some("asc") => {
            p.pos += 1;
            false
        }
        _ => false,
    };
    if p.pos != p.toks.len() {
        return Err(Error::bad_request("sta.invalid_query", format!("unexpected input in $orderby item {src:?}")));
    }
    Ok((e, desc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }
    fn prop(s: &str) -> Box<Expr> {
        Box::new(Expr::Prop(s.split('/').map(str::to_owned).collect()))
    }
    fn num(n: f64) -> Box<Expr> {
        Box::new(Expr::Lit(Lit::Num(n)))
    }

    #[test]
    fn precedence_and_grouping() {
        assert_eq!(
            p("result add 2 mul 3 gt 10 and not name eq 'x' or id eq 1"),
            Expr::Bin(
                BinOp::Or,
                Box::new(Expr::Bin(
                    BinOp::And,
                    Box::new(Expr::Bin(
                        BinOp::Gt,
                        Box::new(Expr::Bin(
                            BinOp::Add,
                            prop("result"),
                            Box::new(Expr::Bin(BinOp::Mul, num(2.0), num(3.0)))
                        )),
                        num(10.0)
                    )),
                    Box::new(Expr::Not(Box::new(Expr::Bin(
                        BinOp::Eq,
                        prop("name"),
                        Box::new(Expr::Lit(Lit::Str("x".into())))
                    ))))
                )),
                Box::new(Expr::Bin(BinOp::Eq, prop("id"), num(1.0)))
            )
        );
        assert_eq!(p("(result sub 1) mul 2 eq -4"), p("((result sub 1) mul 2) eq -4"));
    }

    #[test]
    fn literals() {
        assert_eq!(p("'it''s'"), Expr::Lit(Lit::Str("it's".into())));
        assert_eq!(p("2026-01-15T09:00:00+08:00"), Expr::Lit(Lit::Time(1_768_438_800_000)));
        assert_eq!(p("2026-01-15T09:00:00 08:00"), Expr::Lit(Lit::Time(1_768_438_800_000)), "+ decoded as space");
        assert_eq!(p("2026-01-15T01:00:00.000Z"), Expr::Lit(Lit::Time(1_768_438_800_000)));
        assert_eq!(p("duration'PT1H'"), Expr::Lit(Lit::Duration(3_600_000)));
        assert_eq!(p("10:30:00.5"), Expr::Lit(Lit::TimeOfDay(37_800_500)));
        assert_eq!(p("geography'POINT (94.9 36.4)'"), Expr::Lit(Lit::Geo(Geometry::Point(94.9, 36.4))));
        assert!(matches!(p("geography'POLYGON((0 0, 1 0, 1 1, 0 0))'"), Expr::Lit(Lit::Geo(Geometry::Polygon(_)))));
        assert_eq!(p("1.5e2"), Expr::Lit(Lit::Num(150.0)));
        assert_eq!(
            p("2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"),
            Expr::Lit(Lit::Interval(1_767_225_600_000, 1_767_312_000_000))
        );
    }

    #[test]
    fn functions_and_paths() {
        assert_eq!(
            p("substringof('PM', Datastream/name)"),
            Expr::Call(Func::SubstringOf, vec![Expr::Lit(Lit::Str("PM".into())), *prop("Datastream/name")])
        );
        assert_eq!(p("now()"), Expr::Call(Func::Now, vec![]));
        assert!(matches!(p("geo.intersects(location, geography'POINT(1 2)')"), Expr::Call(Func::GeoIntersects, _)));
    }

    #[test]
    fn errors_are_400_problems_never_panics() {
        for bad in [
            "",
            "name eq",
            "(name eq 'x'",
            "name eq 'x",
            "foo(1)",
            "length()",
            "name eq 'x')",
            "eq 1",
            "2026-13-01",
            "duration'P1Y'",
            "geography'CIRCLE(1)'",
            "name €",
            "'a' eq",
            "--",
            "not",
            "substring('a')",
        ] {
            let e = parse(bad).err().unwrap_or_else(|| panic!("{bad:?} parsed"));
            assert_eq!(e.code, "sta.invalid_filter", "{bad}");
        }
        let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&deep).is_err());
        let long = "not ".repeat(5000) + "true";
        assert!(parse(&long).is_err());
    }

    #[test]
    fn times_round_trip() {
        assert_eq!(format_time(1_768_438_800_000), "2026-01-15T01:00:00Z");
        assert_eq!(parse_time("2026-01-15"), Some(1_768_435_200_000));
        assert_eq!(parse_time("2026-02-30"), None);
        assert_eq!(format_time(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(parse_order_item("phenomenonTime DESC").map(|(_, d)| d).ok(), Some(true));
    }
}
