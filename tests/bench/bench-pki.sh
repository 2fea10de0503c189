# Sourced by benches that talk TLS to the test receiver (tests/tools/receiver.cpp):
#   bench_pki DIR   makes DIR/ca.pem (a private CA, P-256) and DIR/srv.pem, DIR/srv.key
#                   (a server certificate for localhost and 127.0.0.1 signed by it), with
#                   the openssl CLI; exits the bench when openssl fails (set -e).
bench_pki() {
  local d=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" \
    -days 2 -subj "/CN=linkready bench CA" >/dev/null 2>&1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/srv.key" -out "$d/srv.csr" \
    -subj "/CN=localhost" >/dev/null 2>&1
  echo "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$d/srv.ext"
  openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -out "$d/srv.pem" \
    -days 2 -extfile "$d/srv.ext" >/dev/null 2>&1
}
