#!/usr/bin/perl
# The RFC 7489 reading of DMARC records by an independent implementation, Mail::DMARC (Debian libmail-dmarc-perl).
# Reads one record per line; prints p, pct, and how 2000 failing messages were disposed of: none quarantine reject.
use strict; use warnings;
use Mail::DMARC::PurePerl; use Mail::DMARC::Policy;
# No DNS: the From domain "exists" and the message carries no aligned identifier, so DMARC fails and the
# published policy decides the disposition (RFC 7489 §6.6.4, including pct sampling).
{ no warnings 'redefine'; *Mail::DMARC::PurePerl::exists_in_dns = sub { 1 }; }
srand(7489);
# One verifier, reset before each message: a new one per message measured four times the CPU time, which made
# this test take minutes on a loaded machine.
my $dmarc = Mail::DMARC::PurePerl->new;
while (my $record = <STDIN>) {
  chomp $record;
  my $policy = Mail::DMARC::Policy->new($record);
  $policy->domain('example.com');
  my %n = (none => 0, quarantine => 0, reject => 0);
  for (1 .. 2000) {
    $dmarc->init;
    $dmarc->header_from('example.com');
    $dmarc->validate($policy);
    $n{ $dmarc->result->disposition // 'none' }++;
  }
  printf "%s\t%s\t%d\t%d\t%d\n", $policy->p, $policy->pct // '', $n{none}, $n{quarantine}, $n{reject};
}
