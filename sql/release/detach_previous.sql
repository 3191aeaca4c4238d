-- Done with the previous release.
detach prev
