# SPDX-License-Identifier: BSD-3-Clause
"""conda auth handler `anaconda-helper`: channel credentials from conda-credential-anaconda."""
__version__ = "0.1.0"
