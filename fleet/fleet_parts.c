/* The ranks' results as rank 0 gathers them; see fleet.h. */
#include <stdlib.h>

#include "fleet/fleet.h"

void sp_fleet_parts_free(sp_fleet_part *p, int n) {
  if (p == NULL) return;
  for (int i = 0; i < n; i++)
    free(p[i].data);
  free(p);
}
