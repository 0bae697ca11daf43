from rest_framework import serializers

from regions.models import District, Province, Regency, Village


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name"]


class RegencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Regency
        fields = ["code", "province", "name", "kind"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "regency", "name"]


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["code", "district", "name", "kind"]
