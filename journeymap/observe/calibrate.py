"""Write the journey back with the observed shares and median times (`observe --calibrate`)."""
