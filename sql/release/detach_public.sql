detach pub
