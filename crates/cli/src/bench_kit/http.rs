//! A minimal HTTP/1.1 client for a bench's own server on the loopback, so that the CLI
//! needs no HTTP client crate.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One keep-alive HTTP/1.1 connection to the bench's own server (loopback), reconnecting
/// after errors or `Connection: close`. Content-Length and chunked bodies.
pub(crate) struct Http {
    addr: SocketAddr,
    io: Option<BufReader<TcpStream>>,
}

pub(crate) struct Reply {
    status: u16,
    body: Vec<u8>,
    /// The `Location` header, when there is one (capture jobs).
    location: Option<String>,
}

impl Reply {
    pub(crate) fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The body, when the status is `status`.
    pub(crate) fn expect(self, status: u16) -> anyhow::Result<Vec<u8>> {
        if self.status == status {
            Ok(self.body)
        } else {
            let text: String = String::from_utf8_lossy(&self.body).chars().take(300).collect();
            Err(anyhow!("HTTP {} (expected {status}): {text}", self.status))
        }
    }
}

/// Header and chunk-size lines longer than this are refused.
const MAX_LINE: usize = 16 * 1024;

impl Http {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Self { addr, io: None }
    }

    pub(crate) async fn send(
        &mut self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<&[u8]>,
    ) -> anyhow::Result<Reply> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\nUser-Agent: qingyun-bench\r\n",
            self.addr
        );
        if let Some(token) = bearer {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some(b) = body {
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", b.len()));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body.unwrap_or_default());
        if self.io.is_none() {
            let stream =
                TcpStream::connect(self.addr).await.with_context(|| format!("cannot connect to {}", self.addr))?;
            stream.set_nodelay(true)?;
            self.io = Some(BufReader::new(stream));
        }
        let Some(io) = self.io.as_mut() else { bail!("no connection") };
        match tokio::time::timeout(REQUEST_TIMEOUT, exchange(io, &request)).await {
            Ok(Ok((reply, keep_alive))) => {
                if !keep_alive {
                    self.io = None;
                }
                Ok(reply)
            }
            Ok(Err(e)) => {
                self.io = None;
                Err(e)
            }
            Err(_) => {
                self.io = None;
                bail!("no answer within {} s", REQUEST_TIMEOUT.as_secs())
            }
        }
    }
}

async fn read_line(io: &mut BufReader<TcpStream>, line: &mut Vec<u8>) -> anyhow::Result<()> {
    line.clear();
    let n = (&mut *io).take(MAX_LINE as u64).read_until(b'\n', line).await?;
    if n == 0 {
        bail!("connection closed by the server");
    }
    if !line.ends_with(b"\n") {
        bail!("header line too long or cut off");
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(())
}

async fn exchange(io: &mut BufReader<TcpStream>, request: &[u8]) -> anyhow::Result<(Reply, bool)> {
    io.get_mut().write_all(request).await?;
    let mut line = Vec::with_capacity(256);
    read_line(io, &mut line).await?;
    let status_line = String::from_utf8_lossy(&line).into_owned();
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or_default().to_owned();
    let status: u16 =
        parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| anyhow!("bad status line {status_line:?}"))?;
    let mut keep_alive = version == "HTTP/1.1";
    let (mut length, mut chunked, mut location) = (None::<usize>, false, None);
    loop {
        read_line(io, &mut line).await?;
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let Some((name, value)) = text.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = Some(value.parse().with_context(|| format!("content-length {value:?}"))?),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "location" => location = Some(value.to_owned()),
            "connection" if value.eq_ignore_ascii_case("close") => keep_alive = false,
            "connection" if value.eq_ignore_ascii_case("keep-alive") => keep_alive = true,
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            read_line(io, &mut line).await?;
            let text = String::from_utf8_lossy(&line);
            let size_text = text.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_text, 16).with_context(|| format!("chunk size {size_text:?}"))?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    read_line(io, &mut line).await?;
                    if line.is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            let Some(chunk) = body.get_mut(start..) else { bail!("chunk out of range") };
            io.read_exact(chunk).await?;
            read_line(io, &mut line).await?;
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        io.read_exact(&mut body).await?;
    } else if !(status == 204 || status == 304 || (100..200).contains(&status)) {
        io.read_to_end(&mut body).await?;
        keep_alive = false;
    }
    Ok((Reply { status, body, location }, keep_alive))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Serves `replies` in turn on one connection, reading one request head before each.
    async fn server(replies: Vec<&'static str>) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let mut io = BufReader::new(stream);
            for reply in replies {
                let mut line = Vec::new();
                loop {
                    read_line(&mut io, &mut line).await.unwrap();
                    if line.is_empty() {
                        break;
                    }
                }
                io.get_mut().write_all(reply.as_bytes()).await.unwrap();
            }
        });
        addr
    }

    #[tokio::test]
    async fn reads_length_and_chunked_bodies_on_one_connection() {
        let addr = server(vec![
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n",
        ])
        .await;
        let mut http = Http::new(addr);
        assert_eq!(http.send("GET", "/a", None, None).await.unwrap().expect(200).unwrap(), b"hello");
        let reply = http.send("GET", "/b", Some("t"), None).await.unwrap();
        assert_eq!((reply.status, reply.body.as_slice()), (404, b"abcde".as_slice()));
        assert!(reply.expect(200).unwrap_err().to_string().contains("HTTP 404"));
    }
}
