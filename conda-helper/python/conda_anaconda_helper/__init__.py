# SPDX-License-Identifier: BSD-3-Clause
"""conda auth handler `anaconda-auth` (alias `anaconda-helper`) and `conda token`: channel credentials from conda-credential-anaconda."""
__version__ = "0.1.0"
