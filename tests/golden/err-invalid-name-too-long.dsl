# invalid name: longer than 63 characters (64 here); caret under the whole word (line 6)
rollout golden { version "2026.48.1" }

group eu { europe-west4-a }

service customer-notification-preferences-synchronizer-for-eu-west-4abcd { in eu }
service auth { in eu }

wave eu { in eu }
