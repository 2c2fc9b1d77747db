# SPDX-License-Identifier: GPL-2.0-or-later
# phone_conf DIR NAME CERT KEY IDENTITY: DIR/NAME.conf, eapol_test's
# configuration for a demo phone presenting $pki/CERT and $pki/KEY, trusting
# the demo server's CA. For make run (run-demo.sh) and make fleet
# (run-fleet.sh); source it with pki set to the demo PKI's directory.
phone_conf() {
	cat > "$1/$2.conf" <<CONF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="$5"
	ca_cert="$pki/server-ca.pem"
	client_cert="$pki/$3"
	private_key="$pki/$4"
	eapol_flags=0
}
CONF
}
