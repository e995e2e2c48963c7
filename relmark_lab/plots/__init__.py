"""Plots for the lessons and reports, one module per stage of the data path.

Every plot function takes the tidy DataFrame a ``relmark_lab`` function
returns, an optional matplotlib ``ax``, and returns the Axes (or Figure)
it drew on; none calls ``plt.show()``.
"""
