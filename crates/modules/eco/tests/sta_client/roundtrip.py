"""Round trip through Qingyun's SensorThings API with the reference Python client.

Uses PyPI `frost-sta-client` (Fraunhofer IOSB) as-is: lists Things, reads a Datastream,
queries Observations with $filter and $orderby (following @iot.nextLink), creates an
Observation and a data array through the client, and reads them back; then creates a partner
sensor network (Sensor, ObservedProperty, a Thing with its Location and Datastream in one deep
insert, Observations), reads, changes (PUT, JSON Patch) and deletes it.

Environment:
  QY_STA_URL      service root, e.g. http://127.0.0.1:8080/sta/v1.1
  QY_STA_TOKEN    bearer token of an account that may write observations (eco.observations.write)
  QY_STA_STATION  id of a registered air station with hourly PM2.5 (a34004) values
                  75, 60, 90 at 2026-01-15T01:00Z, 02:00Z and 03:00Z

Exits non-zero (with the reason on stderr) on any mismatch.
"""
import os
import sys

import geojson
import requests
import frost_sta_client as fsc
from frost_sta_client.model.ext.data_array_document import DataArrayDocument
from frost_sta_client.model.ext.data_array_value import DataArrayValue
from frost_sta_client.service.auth_handler import AuthHandler


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, token):
        self.token = token

    def __call__(self, r):
        r.headers["Authorization"] = "Bearer " + self.token
        return r


class Bearer(AuthHandler):
    """The client only ships HTTP Basic; its auth hook takes any requests auth object."""

    def __init__(self, token):
        super().__init__()
        self.token = token

    def add_auth_header(self):
        return BearerAuth(self.token)


failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def main():
    base = os.environ["QY_STA_URL"]
    token = os.environ["QY_STA_TOKEN"]
    station = os.environ["QY_STA_STATION"]
    service = fsc.SensorThingsService(base, auth_handler=Bearer(token))

    # Things, and a Thing's Datastreams through navigation.
    things = service.things().query().list()
    thing = next((t for t in things if t.id == station), None)
    check(thing is not None, "the station is listed as a Thing")
    if thing is None:
        return
    check(thing.properties.get("mn") is not None, "Thing properties carry the HJ 212 MN")
    ds_ids = sorted(d.id for d in thing.get_datastreams().query().list())
    ds_id = station + "~a34004~hour"
    check(ds_id in ds_ids, "Things('…')/Datastreams lists the PM2.5 hourly datastream")

    # One Datastream by id.
    ds = service.datastreams().find(ds_id)
    check(ds.id == ds_id, "Datastreams('…') returns its @iot.id")
    check(ds.unit_of_measurement is not None and ds.unit_of_measurement.symbol == "µg/m³", "unitOfMeasurement symbol")
    check("PM2.5" in (ds.name or ""), "Datastream name names the factor")

    # Observations with $filter and $orderby; a small $top makes the client follow nextLink.
    q = (
        ds.get_observations()
        .query()
        .filter("result gt 70 and phenomenonTime ge 2026-01-15T00:00:00Z")
        .orderby("phenomenonTime", "asc")
        .top(1)
        .count()
    )
    page = q.list()
    check(page.count == 2, "$count with the filter is 2 (got %r)" % page.count)
    results = [o.result for o in page]
    check(results == [75, 90], "filtered, ordered results across pages are [75, 90] (got %r)" % results)
    desc = service.observations().query().filter("Datastream/@iot.id eq '%s'" % ds_id).orderby("result").list()
    check([o.result for o in desc] == [90, 75, 60], "$orderby result DESC (the client's default)")

    # Create an Observation through the client and read it back.
    obs = fsc.Observation(result=123.4, phenomenon_time="2026-01-15T05:00:00+00:00", datastream=ds)
    service.create(obs)
    check(isinstance(obs.id, str) and obs.id.endswith("~1768453200000"), "the new id comes from the Location header (%r)" % obs.id)
    back = service.observations().find(obs.id)
    check(back.result == 123.4, "the created result reads back (got %r)" % back.result)
    check(back.phenomenon_time == "2026-01-15T05:00:00Z/2026-01-15T06:00:00Z", "phenomenonTime is the hour interval")
    latest = service.datastreams().query().filter("@iot.id eq '%s'" % ds_id).expand(
        "Observations($top=1;$orderby=phenomenonTime desc)").list()
    got = [d.observations.entities[0].result for d in latest] if latest.entities else []
    check(got == [123.4], "latest observation of the datastream is the new one (got %r)" % got)

    # Change and delete through the client (JSON Patch, then DELETE).
    service.patch(back, [{"op": "replace", "path": "/result", "value": 124}])
    check(service.observations().find(obs.id).result == 124, "JSON Patch changed the result")

    # Data array extension (CreateObservations).
    dav = DataArrayValue()
    dav.datastream = ds
    dav.components = {DataArrayValue.Property.PHENOMENON_TIME, DataArrayValue.Property.RESULT}
    dav.add_observation(fsc.Observation(phenomenon_time="2026-01-15T06:00:00Z", result=55))
    dav.add_observation(fsc.Observation(phenomenon_time="2026-01-15T07:00:00Z", result=56.5))
    doc = DataArrayDocument()
    doc.add_data_array_value(dav)
    created = service.observations().create(doc)
    links = [o.self_link for o in created]
    check(len(links) == 2 and all(l.startswith(base + "/Observations('") for l in links), "CreateObservations returns self links")
    n = ds.get_observations().query().count().top(0).list().count
    check(n == 6, "the datastream now has 6 observations (got %r)" % n)

    service.delete(back)
    try:
        service.observations().find(obs.id)
        check(False, "a deleted observation is gone")
    except requests.exceptions.HTTPError as e:
        check(e.response.status_code == 404, "a deleted observation is 404")

    # Errors are problem+json 4xx.
    r = requests.get(base + "/Observations", params={"$filter": "result gt"})
    check(r.status_code == 400 and r.json().get("code") == "sta.invalid_filter", "a bad $filter is a 400 problem")
    r = requests.patch(base + "/Things('%s')" % station, json={"name": "x"}, headers={"Authorization": "Bearer " + token})
    check(r.status_code == 405 and r.json().get("code") == "sta.read_only_entity", "registry stations are read-only (405)")
    r = requests.post(base + "/Things", json={"name": "x"}, headers={"Authorization": "Bearer " + token})
    check(r.status_code == 400 and r.json().get("code") == "sta.invalid_entity", "a Thing without description is a 400")

    partner_network(service)


def partner_network(service):
    """A partner's sensor network created, read, changed and deleted through the client's model."""
    sensor = fsc.Sensor(name="SM-300", description="soil moisture probe", encoding_type="application/pdf",
                        metadata="https://example.org/sm300.pdf")
    prop = fsc.ObservedProperty(name="Soil moisture", definition="http://example.org/soil-moisture",
                                description="volumetric water content")
    service.create(sensor)
    service.create(prop)
    check(isinstance(sensor.id, int) and isinstance(prop.id, int), "new Sensor and ObservedProperty get numeric ids")
    location = fsc.Location(name="Maduo plot 7", description="fenced plot", encoding_type="application/geo+json",
                            location=geojson.Point((98.21, 34.91)))
    unit = fsc.UnitOfMeasurement(name="percent", symbol="%", definition="http://unitsofmeasure.org/ucum.html#%25")
    ds = fsc.Datastream(name="moisture 10 cm", description="hourly", unit_of_measurement=unit,
                        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                        sensor=sensor, observed_property=prop)
    thing = fsc.Thing(name="Maduo node 7", description="wireless node", properties={"owner": "sjy-park"},
                      locations=[location], datastreams=[ds])
    service.create(thing)
    check(isinstance(thing.id, int), "a Thing created with its Location and Datastream (deep insert)")
    back = service.things().find(thing.id)
    check(back.properties == {"owner": "sjy-park"}, "its properties read back")
    datastreams = back.get_datastreams().query().list().entities
    check(len(datastreams) == 1 and datastreams[0].unit_of_measurement.symbol == "%", "its Datastream reads back")
    locs = back.get_locations().query().list().entities
    check(len(locs) == 1 and list(locs[0].location["coordinates"]) == [98.21, 34.91], "its Location reads back")
    d = datastreams[0]
    for i, v in enumerate([31.5, 29.0, 35.25]):
        service.create(fsc.Observation(result=v, phenomenon_time="2026-01-15T0%d:00:00Z" % i, datastream=d))
    obs = d.get_observations().query().orderby("phenomenonTime", "desc").top(1).list().entities
    check([o.result for o in obs] == [35.25], "the latest observation is the last one sent")
    fois = service.features_of_interest().query().filter("name eq 'Maduo plot 7'").list().entities
    check(len(fois) == 1, "one FeatureOfInterest generated from the Thing's Location")
    mixed = service.things().query().count().top(0).list()
    check(mixed.count >= 2, "Things lists registry stations and partner Things together (%r)" % mixed.count)

    back.name = "Maduo node 7b"
    service.update(back)
    check(service.things().find(thing.id).name == "Maduo node 7b", "PUT through the client changes the name")
    service.patch(back, [{"op": "add", "path": "/properties/firmware", "value": "2.1"}])
    check(service.things().find(thing.id).properties.get("firmware") == "2.1", "JSON Patch adds a property")
    service.delete(back)
    try:
        service.datastreams().find(d.id)
        check(False, "deleting the Thing deletes its Datastreams")
    except requests.exceptions.HTTPError as e:
        check(e.response.status_code == 404, "deleting the Thing deletes its Datastreams (404)")
    service.delete(sensor)
    service.delete(prop)
    check(service.sensors().query().filter("name eq 'SM-300'").list().entities == [], "the Sensor is gone")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a client exception is a failure too
        failures.append("exception: %r" % (e,))
        print("FAIL exception: %r" % (e,), file=sys.stderr)
    if failures:
        print("%d check(s) failed: %s" % (len(failures), failures), file=sys.stderr)
        sys.exit(1)
    print("all checks passed")
