/* Network names and URL schemes of JSON-RPC endpoints (see endpoint.h). */
#include "chain/client/endpoint.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  const char *url;
} NETWORKS[] = {
    /* bittensor SDK settings (docs/protocol.md section 6) */
    {"finney", "wss://entrypoint-finney.opentensor.ai:443"},
    {"test", "wss://test.finney.opentensor.ai:443"},
    {"archive", "wss://archive.chain.opentensor.ai:443"},
    {"local", "ws://127.0.0.1:9944"},
};

const char *sp_endpoint_network_url(const char *name) {
  for (size_t i = 0; name && i < sizeof NETWORKS / sizeof NETWORKS[0]; i++)
    if (strcmp(NETWORKS[i].name, name) == 0) return NETWORKS[i].url;
  return NULL;
}

typedef struct scheme_map {
  const char *from, *to;
} scheme_map;

static int resolve(const char *network_or_url, char *out, size_t cap,
                   const scheme_map *SCHEMES, sp_chain_error *err);

int sp_endpoint_resolve(const char *network_or_url, char *out, size_t cap,
                        sp_chain_error *err) {
  static const scheme_map HTTP[] = {{"ws://", "http://"},
                                    {"wss://", "https://"},
                                    {"http://", "http://"},
                                    {"https://", "https://"}};
  return resolve(network_or_url, out, cap, HTTP, err);
}

int sp_endpoint_resolve_ws(const char *network_or_url, char *out, size_t cap,
                           sp_chain_error *err) {
  static const scheme_map WS[] = {{"ws://", "ws://"},
                                  {"wss://", "wss://"},
                                  {"http://", "ws://"},
                                  {"https://", "wss://"}};
  return resolve(network_or_url, out, cap, WS, err);
}

int sp_endpoint_is_ws(const char *network_or_url) {
  if (!network_or_url) return 0;
  if (sp_endpoint_network_url(network_or_url)) return 1;
  return strncmp(network_or_url, "ws://", 5) == 0 ||
         strncmp(network_or_url, "wss://", 6) == 0;
}

static int resolve(const char *network_or_url, char *out, size_t cap,
                   const scheme_map *SCHEMES, sp_chain_error *err) {
  if (!network_or_url || !*network_or_url)
    return sp_chain_fail(err, SP_CHAIN_EARG, "no network or URL given");
  const char *url = sp_endpoint_network_url(network_or_url);
  if (!url) url = network_or_url;
  for (size_t i = 0; i < 4; i++) {
    size_t n = strlen(SCHEMES[i].from);
    if (strncmp(url, SCHEMES[i].from, n) != 0) continue;
    const char *rest = url + n;
    if (*rest == '\0' || *rest == '/' || *rest == ':')
      return sp_chain_fail(err, SP_CHAIN_EARG, "URL %s has no host", url);
    for (const char *p = rest; *p; p++)
      if ((unsigned char)*p <= ' ' || *p == 0x7f)
        return sp_chain_fail(err, SP_CHAIN_EARG,
                             "URL %s contains a space or control character",
                             url);
    int len = snprintf(out, cap, "%s%s", SCHEMES[i].to, rest);
    if (len < 0 || (size_t)len >= cap)
      return sp_chain_fail(err, SP_CHAIN_EARG, "URL %s is too long", url);
    return 0;
  }
  return sp_chain_fail(err, SP_CHAIN_EARG,
                       "unknown network or URL \"%s\" (expected finney, test, "
                       "archive, local or a ws://, wss://, http:// or "
                       "https:// URL)",
                       network_or_url);
}
