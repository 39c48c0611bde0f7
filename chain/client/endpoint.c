/* Network names and URL schemes of JSON-RPC endpoints (see endpoint.h). */
#include "chain/client/endpoint.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  const char *url;
} NETWORKS[] = {
    /* bittensor SDK settings (subtensor-pow.md section 5) */
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

int sp_endpoint_resolve(const char *network_or_url, char *out, size_t cap,
                        sp_chain_error *err) {
  if (!network_or_url || !*network_or_url)
    return sp_chain_fail(err, SP_CHAIN_EARG, "no network or URL given");
  const char *url = sp_endpoint_network_url(network_or_url);
  if (!url) url = network_or_url;
  static const struct {
    const char *from, *to;
  } SCHEMES[] = {{"ws://", "http://"},
                 {"wss://", "https://"},
                 {"http://", "http://"},
                 {"https://", "https://"}};
  for (size_t i = 0; i < sizeof SCHEMES / sizeof SCHEMES[0]; i++) {
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
