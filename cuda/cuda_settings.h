/*
 * The settings table of the cuda backend (backend/backend.h:
 * sp_setting_info). It is plain C and compiled even where the backend is
 * not (no nvcc), so that the commands still know the backend's flags and can
 * say that it is not built.
 */
#ifndef SUBPOW_CUDA_CUDA_SETTINGS_H
#define SUBPOW_CUDA_CUDA_SETTINGS_H

#include "backend/backend.h"

/* Ended by a row whose name is NULL. */
extern const sp_setting_info sp_cuda_settings[];

#endif /* SUBPOW_CUDA_CUDA_SETTINGS_H */
